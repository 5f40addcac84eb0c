/// A set of ports written in Beyla's `open_port` grammar: comma-separated `N` or `N-M`, with
/// spaces and tabs allowed around numbers, dashes and commas (`" 80 ,100 - 200, 8000-8999 "`).
///
/// Stricter than Beyla on purpose: Beyla accepts `9000-8000` (never matches), `8080-0` (means
/// 8080), `0` and ports above 65535 without a word; here each is an error naming the item.
public struct PortRanges: Sendable, Hashable, CustomStringConvertible {
    /// Sorted, non-overlapping, non-adjacent ranges.
    public let ranges: [ClosedRange<UInt16>]

    /// Parses `text`. Blank text is an error here; callers that treat blank as "unset" (as
    /// Beyla does) use `PortRanges.parseOptional`.
    public init(parsing text: String) throws(PortRangeError) {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        var parsed: [ClosedRange<UInt16>] = []
        parsed.reserveCapacity(items.count)
        for (index, raw) in items.enumerated() {
            parsed.append(try Self.parseItem(raw, index: index, in: text))
        }
        ranges = Self.normalize(parsed)
    }

    public init(_ ranges: [ClosedRange<UInt16>]) {
        self.ranges = Self.normalize(ranges)
    }

    /// Beyla's reading: blank or whitespace-only text means no port criterion.
    public static func parseOptional(_ text: String) throws(PortRangeError) -> PortRanges? {
        if text.allSatisfy(\.isBlankInRange) { return nil }
        return try PortRanges(parsing: text)
    }

    public func contains(_ port: UInt16) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = ranges[mid]
            if port < range.lowerBound {
                high = mid - 1
            } else if port > range.upperBound {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    /// Canonical text, e.g. `80,100-200,8000-8999`; parsing it gives back an equal value.
    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }

    private static func parseItem(
        _ raw: Substring, index: Int, in text: String
    ) throws(PortRangeError) -> ClosedRange<UInt16> {
        let item = raw.trimmingBlanks()
        func fail(_ reason: PortRangeError.Reason) -> PortRangeError {
            PortRangeError(input: text, item: String(item), position: index + 1, reason: reason)
        }
        if item.isEmpty { throw fail(.emptyItem) }
        let parts = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let start = try parsePort(parts[0].trimmingBlanks(), fail: fail)
        guard parts.count == 2 else { return start...start }
        let end = try parsePort(parts[1].trimmingBlanks(), fail: fail)
        guard end >= start else { throw fail(.descending(start: start, end: end)) }
        return start...end
    }

    private static func parsePort(
        _ digits: Substring, fail: (PortRangeError.Reason) -> PortRangeError
    ) throws(PortRangeError) -> UInt16 {
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw fail(.notANumber(String(digits)))
        }
        // More than five digits cannot be a port; checking first keeps Int from overflowing.
        guard digits.count <= 5, let value = Int(digits), (1...65535).contains(value) else {
            throw fail(.outOfRange(String(digits)))
        }
        return UInt16(value)
    }

    private static func normalize(_ input: [ClosedRange<UInt16>]) -> [ClosedRange<UInt16>] {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt16>] = []
        for range in sorted {
            if let last = merged.last, Int(range.lowerBound) <= Int(last.upperBound) + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}

/// Why a port range list was rejected, naming the offending item.
public struct PortRangeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case emptyItem
        case notANumber(String)
        case outOfRange(String)
        case descending(start: UInt16, end: UInt16)
    }

    public let input: String
    public let item: String
    /// 1-based position of the item in the comma-separated list.
    public let position: Int
    public let reason: Reason

    public var description: String {
        let detail: String
        switch reason {
        case .emptyItem:
            detail = "item \(position) is empty"
        case .notANumber(let text):
            detail = text.isEmpty
                ? "item \(position) \"\(item)\" is missing a number"
                : "item \(position) \"\(item)\": \"\(text)\" is not a number"
        case .outOfRange(let text):
            detail = "item \(position) \"\(item)\": \(text) is outside 1-65535"
        case .descending(let start, let end):
            detail = "item \(position) \"\(item)\": the range ends (\(end)) below its start (\(start))"
        }
        return "invalid port range \"\(input)\": \(detail); expected a comma-separated list of ports or ranges, e.g. 8080,8000-8999"
    }

    /// The message without the echoed input, for places that already show the text (the TUI prompt).
    public var shortDescription: String {
        switch reason {
        case .emptyItem: "item \(position) is empty"
        case .notANumber(let text): text.isEmpty ? "\"\(item)\" is missing a number" : "\"\(text)\" is not a number"
        case .outOfRange(let text): "\(text) is outside 1-65535"
        case .descending(let start, let end): "\(start)-\(end) ends below its start"
        }
    }
}

extension Character {
    fileprivate var isBlankInRange: Bool { self == " " || self == "\t" }
}

extension Substring {
    fileprivate func trimmingBlanks() -> Substring {
        var result = self
        while let first = result.first, first.isBlankInRange { result.removeFirst() }
        while let last = result.last, last.isBlankInRange { result.removeLast() }
        return result
    }
}
