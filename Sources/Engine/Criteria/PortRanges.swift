/// A set of ports written in Beyla's `open_port` grammar: comma-separated `N` or `N-M`, with
/// spaces and tabs allowed around numbers, dashes and commas (`" 80 ,100 - 200, 8000-8999 "`).
///
/// Numbers are decimal and may have leading zeros (`080` is 80), as Beyla reads them with Go's
/// `strconv.Atoi`. Stricter than Beyla on purpose: Beyla accepts `9000-8000` (never matches),
/// `8080-0` (means 8080), `0` and ports above 65535 without a word; here each is an error naming
/// the item.
public struct PortRanges: Sendable, Hashable, CustomStringConvertible {
    /// Sorted, non-overlapping, non-adjacent ranges.
    public let ranges: [ClosedRange<UInt16>]

    /// Parses `text`. Blank text is an error here; callers that treat blank as "unset" (as
    /// Beyla does) use `PortRanges.parseOptional`.
    ///
    /// Works on the UTF-8 bytes: the grammar is ASCII, and the monitor's prompt parses its whole
    /// text on every key, so a pasted list of thousands of characters must not take a
    /// Character-by-Character walk per key. Commas and dashes are ASCII and never split a
    /// multi-byte character, so every item is valid text for the error message.
    public init(parsing text: String) throws(PortRangeError) {
        let bytes = Array(text.utf8)
        if bytes.allSatisfy(Self.isBlank) {
            throw PortRangeError(input: text, item: text, position: 1, reason: .noPorts)
        }
        let items = bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
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
        if text.utf8.allSatisfy(isBlank) { return nil }
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
        _ raw: ArraySlice<UInt8>, index: Int, in text: String
    ) throws(PortRangeError) -> ClosedRange<UInt16> {
        let item = trimmingBlanks(raw)
        func fail(_ reason: PortRangeError.Reason) -> PortRangeError {
            PortRangeError(input: text, item: String(decoding: item, as: UTF8.self), position: index + 1, reason: reason)
        }
        if item.isEmpty { throw fail(.emptyItem) }
        let parts = item.split(separator: UInt8(ascii: "-"), maxSplits: 1, omittingEmptySubsequences: false)
        let start = try parsePort(trimmingBlanks(parts[0]), fail: fail)
        guard parts.count == 2 else { return start...start }
        let end = try parsePort(trimmingBlanks(parts[1]), fail: fail)
        guard end >= start else { throw fail(.descending(start: start, end: end)) }
        return start...end
    }

    private static func parsePort(
        _ digits: ArraySlice<UInt8>, fail: (PortRangeError.Reason) -> PortRangeError
    ) throws(PortRangeError) -> UInt16 {
        guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw fail(.notANumber(String(decoding: digits, as: UTF8.self)))
        }
        // Leading zeros do not count (Atoi's reading); more than five digits left cannot be a
        // port, and checking that first keeps the value from overflowing.
        let significant = digits.drop { $0 == UInt8(ascii: "0") }
        let value = significant.count > 5 ? Int.max : significant.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard (1...65535).contains(value) else {
            throw fail(.outOfRange(String(decoding: digits, as: UTF8.self)))
        }
        return UInt16(value)
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    private static func trimmingBlanks(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var result = bytes
        while let first = result.first, isBlank(first) { result.removeFirst() }
        while let last = result.last, isBlank(last) { result.removeLast() }
        return result
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
        /// The whole text is blank.
        case noPorts
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
        case .noPorts:
            detail = "no ports given"
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
        case .noPorts: "no ports given"
        case .emptyItem: "item \(position) is empty"
        case .notANumber(let text): text.isEmpty ? "\"\(item)\" is missing a number" : "\"\(text)\" is not a number"
        case .outOfRange(let text): "\(text) is outside 1-65535"
        case .descending(let start, let end): "\(start)-\(end) ends below its start"
        }
    }
}
