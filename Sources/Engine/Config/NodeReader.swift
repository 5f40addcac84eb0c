import Yams

/// Typed reads of YAML nodes with errors that name the file, line and key.
struct NodeReader {
    enum Syntax {
        /// `instrument` sections: exe_path, cmd_args and languages are globs.
        case glob
        /// The deprecated `services` sections: they are regular expressions.
        case regex
    }

    let file: String

    func error(_ node: Node, _ message: String) -> ConfigError {
        ConfigError(place: node.mark.map { "\(file):\($0.line)" } ?? file, message: message)
    }

    func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    /// Each `<<: [*a, *a]` may double what an anchor brings, so a few hundred bytes of merges
    /// would otherwise expand into billions of keys and hang the loader. No real file comes near.
    static let maximumMergedKeys = 10_000
    /// Merges are applied by recursion: a chain of 20000 (a 570 KB file) overflowed the stack.
    static let maximumMergeDepth = 64

    /// A mapping's pairs with YAML merge keys (`<<: *anchor`) applied, as Go's yaml.v3 applies
    /// them for Beyla: merged keys come first and keys written out override them.

    func pairs(_ mapping: Node.Mapping, depth: Int = 0) throws(ConfigError) -> [(key: Node, value: Node)] {
        var merged: [(key: Node, value: Node)] = []
        var own: [(key: Node, value: Node)] = []
        for (key, value) in mapping {
            guard key.string == "<<" else {
                own.append((key, value))
                continue
            }
            let sources = value.mapping.map { [$0] } ?? value.sequence?.compactMap(\.mapping) ?? []
            guard sources.isEmpty || depth < Self.maximumMergeDepth else {
                throw error(key, "merge keys (<<) nest more than \(Self.maximumMergeDepth) deep here")
            }
            for source in sources {
                merged += try pairs(source, depth: depth + 1)
                guard merged.count <= Self.maximumMergedKeys else {
                    throw error(key, "merge keys (<<) bring in more than \(Self.maximumMergedKeys) keys here; "
                        + "Beyla's YAML (yaml.v3) refuses such a document as excessive aliasing")
                }
            }
        }
        let written = Set(own.compactMap(\.key.string))
        return merged.filter { !written.contains($0.key.string ?? "") } + own
    }

    func text(_ node: Node, key: String) throws(ConfigError) -> String {
        guard let scalar = node.scalar else { throw error(node, "\(key) must be a single value, not a list or mapping") }
        return scalar.string
    }

    /// A port list: `8080`, `"80,443,8000-8999"`, or a YAML list of single ports `[80, 443]`.
    func ports(_ node: Node, key: String) throws(ConfigError) -> PortRanges? {
        if node.isNull { return nil }
        if let sequence = node.sequence {
            var ranges: [ClosedRange<UInt16>] = []
            for item in sequence {
                if let scalar = item.scalar, scalar.style == .plain, let leading = LeadingZeroInteger(scalar.string) {
                    throw error(item, "\(key): list item \(scalar.string) has a leading zero, which YAML reads as octal "
                        + "(Beyla takes it as \(leading.yamlValue)); write the port without the zero, or the list as a string, e.g. \"80,443\"")
                }
                guard let value = item.int, (1...65535).contains(value) else {
                    throw error(item, "\(key): list items must be single ports from 1 to 65535, not \"\(item.string ?? "a nested value")\"")
                }
                ranges.append(UInt16(value)...UInt16(value))
            }
            return ranges.isEmpty ? nil : PortRanges(ranges)
        }
        do {
            return try PortRanges.parseOptional(try text(node, key: key))
        } catch let failure as PortRangeError {
            throw error(node, "\(key): \(failure)")
        } catch let failure as ConfigError {
            throw failure
        } catch {
            throw self.error(node, "\(key): \(error)")
        }
    }

    func regex(_ node: Node, key: String) throws(ConfigError) -> RegexPattern? {
        let source = try text(node, key: key)
        if source.isEmpty { return nil }
        do {
            return try RegexPattern(source)
        } catch {
            throw self.error(node, "\(key): \(error)")
        }
    }

    /// A text attribute in the section's syntax. A `services` pattern that is not a regular
    /// expression but is a glob (OBI's 2025 test configs: `*dupe*`) is read as the glob it was
    /// written as, with a warning.
    func pattern(_ node: Node, key: String, syntax: Syntax, place: String, warnings: inout [String]) throws(ConfigError) -> TextPattern? {
        let source = try text(node, key: key)
        if source.isEmpty { return nil }
        switch syntax {
        case .glob:
            do {
                return .glob(try Glob(source))
            } catch {
                throw self.error(node, "\(place) \(key): \(error)")
            }
        case .regex:
            do {
                return .regex(try RegexPattern(source))
            } catch let regexError {
                guard let glob = try? Glob(source) else { throw self.error(node, "\(place) \(key): \(regexError)") }
                warnings.append(
                    "\(file):\(line(node)): \(place) \(key) \"\(source)\" is not a valid regular expression; read as a glob, as OBI did")
                return .glob(glob)
            }
        }
    }

    func duration(_ node: Node, key: String) throws(ConfigError) -> Double {
        do {
            return try GoDuration.seconds(try text(node, key: key))
        } catch let failure as GoDuration.Invalid {
            throw error(node, "\(key): \(failure)")
        } catch let failure as ConfigError {
            throw failure
        } catch {
            throw self.error(node, "\(key): \(error)")
        }
    }

    func strings(_ node: Node, key: String) throws(ConfigError) -> [String] {
        if let sequence = node.sequence {
            var values: [String] = []
            for item in sequence { values.append(try text(item, key: key)) }
            return values
        }
        return [try text(node, key: key)]
    }

    func bool(_ node: Node, key: String) throws(ConfigError) -> Bool {
        guard let value = node.bool else { throw error(node, "\(key) must be true or false, not \"\(node.string ?? "?")\"") }
        return value
    }

    func pids(_ node: Node, key: String) throws(ConfigError) -> [Int32] {
        let items = node.sequence.map(Array.init) ?? [node]
        var pids: [Int32] = []
        for item in items {
            guard let value = item.int, value > 0, value <= Int(Int32.max) else {
                throw error(item, "\(key): \"\(item.string ?? "?")\" is not a process id")
            }
            pids.append(Int32(value))
        }
        return pids
    }

    /// `k8s_pod_labels: {instrument: beyla}` as `instrument=beyla`, scalars as they are.
    func attributeText(_ node: Node) -> String {
        if let mapping = node.mapping {
            return mapping.map { "\($0.key.string ?? "?")=\($0.value.string ?? "?")" }.joined(separator: ",")
        }
        if let sequence = node.sequence { return sequence.compactMap(\.string).joined(separator: ",") }
        return node.string ?? ""
    }
}

extension Node {
    var isNull: Bool {
        guard let scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}

/// A plain YAML integer written with a leading zero (`0100`, `080`). Go's yaml.v3 (Beyla's
/// reader) takes it as octal when it can (`0100` is 64) and as decimal otherwise (`080` is 80),
/// while the same digits in the string form (`"0100"`) mean 100: one port list would read two
/// ways, so a leading zero in a YAML list is refused rather than guessed.
struct LeadingZeroInteger {
    let yamlValue: Int

    init?(_ text: String) {
        let digits = Array(text.utf8)
        guard digits.count > 1, digits.count <= 20, digits[0] == UInt8(ascii: "0"),
              digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        guard let value = Int(text, radix: 8) ?? Int(text) else { return nil }
        yamlValue = value
    }
}
