import Foundation
@testable import Engine
import Testing
@testable import App

/// A name that is not UTF-8 keeps its bytes in JSON (`comm_bytes`, `exe_bytes`, base64).
@Suite struct NameBytesJSONTests {
    @Test func jsonKeepsTheBytesOfANameThatIsNotUTF8() throws {
        let raw: [UInt8] = [0x1B, 0x5B, 0xFF, 0x77, 0x65, 0x62]  // ESC [ 0xFF w e b
        var record = MonitorFixture.record(pid: 7, ports: [80])
        let decoded = KernelText.decode(raw)
        record.comm = decoded.text
        record.commBytes = decoded.invalidBytes
        (record.exe, record.exeBytes) = KernelText.decode(Array("/tmp/".utf8) + [0xE9, 0x78])  // Latin-1 é
        var json = JSONWriter()
        ProcessJSON.write(record, verdict: nil, surroundings: ProcessSurroundings(), criteria: Criteria(), to: &json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
        #expect(object["comm"] as? String == "\u{1B}[\u{FFFD}web")
        #expect((object["comm_bytes"] as? String).flatMap { Data(base64Encoded: $0) } == Data(raw))
        #expect(object["exe"] as? String == "/tmp/\u{FFFD}x")
        #expect((object["exe_bytes"] as? String).flatMap { Data(base64Encoded: $0) } == Data(Array("/tmp/".utf8) + [0xE9, 0x78]))
        // Valid UTF-8, CJK included, needs no bytes.
        record.comm = "服务器监听"
        record.commBytes = KernelText.decode(Array("服务器监听".utf8)).invalidBytes
        record.exeBytes = nil
        json = JSONWriter()
        ProcessJSON.write(record, verdict: nil, surroundings: ProcessSurroundings(), criteria: Criteria(), to: &json)
        let plain = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
        #expect(plain["comm"] as? String == "服务器监听")
        // Present and null: every documented field is always there.
        #expect(plain["comm_bytes"] is NSNull && plain["exe_bytes"] is NSNull)
    }

    @Test(arguments: [[UInt8](), [0x66], [0x66, 0x6F], [0x66, 0x6F, 0x6F], [0x66, 0x6F, 0x6F, 0x62], [0xFF, 0x00, 0x80, 0x7F, 0xFE]])
    func base64MatchesFoundation(bytes: [UInt8]) throws {
        var json = JSONWriter()
        json.base64(bytes)
        #expect(String(decoding: json.bytes, as: UTF8.self) == "\"\(Data(bytes).base64EncodedString())\"")
    }

    /// Commas at every depth, past the 64 levels the writer keeps in one word too.
    @Test(arguments: [1, 63, 64, 65, 130])
    func nestingKeepsItsCommasAtEveryDepth(depth: Int) throws {
        var json = JSONWriter()
        func nest(_ json: inout JSONWriter, _ level: Int) {
            json.array { a in
                a.number(level)
                if level < depth { nest(&a, level + 1) }
                a.object { o in o.key("k"); o.bool(true); o.key("n"); o.null() }
                a.string("x")
            }
        }
        nest(&json, 1)
        var expected = ""
        for level in 1...depth { expected += "[\(level)," }
        for _ in 1...depth { expected += "{\"k\":true,\"n\":null},\"x\"]" + "," }
        expected.removeLast()
        #expect(String(decoding: json.bytes, as: UTF8.self) == expected)
    }
}
