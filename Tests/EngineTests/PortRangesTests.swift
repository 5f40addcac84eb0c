import Testing
@testable import Engine

@Suite struct PortRangesTests {
    @Test func acceptsBeylaGrammarWithBlanks() throws {
        let ranges = try PortRanges(parsing: " 80 ,100 - 200, 8000-8999 ")
        #expect(ranges.description == "80,100-200,8000-8999")
        #expect(ranges.contains(80) && ranges.contains(150) && ranges.contains(8999))
        #expect(!ranges.contains(81) && !ranges.contains(99) && !ranges.contains(9000))
    }

    @Test func acceptsTabsAndSinglePorts() throws {
        let ranges = try PortRanges(parsing: "\t8080\t,\t443")
        #expect(ranges.ranges == [443...443, 8080...8080])
    }

    @Test func mergesOverlappingAndAdjacentRanges() throws {
        let ranges = try PortRanges(parsing: "10-20,15-30,31,1-1")
        #expect(ranges.ranges == [1...1, 10...31])
    }

    @Test func canonicalTextParsesBackToTheSameValue() throws {
        let ranges = try PortRanges(parsing: "9000-9100, 22, 65535")
        #expect(try PortRanges(parsing: ranges.description) == ranges)
    }

    @Test(arguments: [
        (",", 1, "empty"), ("33,", 2, "empty"), (",33", 1, "empty"), ("-", 1, "missing a number"),
        ("1a", 1, "not a number"), ("1,2,*3,4", 3, "not a number"), ("12,-13", 2, "missing a number"),
        ("32,15-", 2, "missing a number"), ("0", 1, "outside 1-65535"), ("65536", 1, "outside 1-65535"),
        ("99999999999999999999", 1, "outside 1-65535"), ("9000-8000", 1, "below its start"),
        ("8080-0", 1, "outside 1-65535"), ("1-2-3", 1, "not a number"), ("+80", 1, "not a number"),
        ("８０", 1, "not a number"),
    ])
    func rejectsAndNamesTheBadItem(text: String, position: Int, phrase: String) {
        do {
            _ = try PortRanges(parsing: text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.position == position)
            #expect(error.description.contains(phrase), "\(error.description)")
            #expect(error.description.contains("\"\(text)\""))
        }
    }

    @Test func blankMeansUnsetOnlyThroughParseOptional() throws {
        #expect(try PortRanges.parseOptional("  \t ") == nil)
        for blank in ["", " ", "\t "] {
            #expect(throws: PortRangeError(input: blank, item: blank, position: 1, reason: .noPorts)) { try PortRanges(parsing: blank) }
        }
    }

    /// Beyla reads each number with Go's strconv.Atoi, which takes any number of leading zeros.
    @Test(arguments: [
        ("01984", "1984"), ("001984", "1984"), ("0000000000000080", "80"), ("0080 - 00090", "80-90"),
        ("065535", "65535"), ("08,09", "8-9"),
    ])
    func leadingZerosAreDecimalAsInBeyla(text: String, canonical: String) throws {
        #expect(try PortRanges(parsing: text).description == canonical)
    }

    @Test(arguments: ["00000", "000065536", "0000099999999999"])
    func leadingZerosDoNotHideAPortOutsideTheRange(text: String) {
        #expect(throws: PortRangeError(input: text, item: text, position: 1, reason: .outOfRange(text))) { try PortRanges(parsing: text) }
    }

    @Test func containsAgreesWithALinearScan() throws {
        let ranges = try PortRanges(parsing: "1,3-5,100-200,1000,65535")
        for port in UInt16(1)...UInt16(1200) {
            #expect(ranges.contains(port) == ranges.ranges.contains { $0.contains(port) })
        }
        #expect(ranges.contains(65535))
    }
}
