import Testing
@testable import Engine

@Suite struct ProcStatTests {
    // Captured from a real `python3` on this machine, comm replaced where the test says so.
    static func line(comm: String) -> [UInt8] {
        Array("4080 (\(comm)) S 1 4080 1 34816 4080 4194304 1098 0 0 0 12 3 0 0 20 0 1 0 1234567 17342464 2345 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n".utf8)
    }

    @Test func parsesIdentityAndCounters() throws {
        let stat = try #require(ProcStat.parse(Self.line(comm: "python3")))
        #expect(stat.pid == 4080)
        #expect(stat.comm == Array("python3".utf8))
        #expect(stat.state == "S")
        #expect(stat.ppid == 1)
        #expect(stat.utime == 12 && stat.stime == 3)
        #expect(stat.startTime == 1234567)
        #expect(stat.rssPages == 2345)
    }

    @Test func commWithParenthesesAndSpacesEndsAtTheLastParenthesis() throws {
        let stat = try #require(ProcStat.parse(Self.line(comm: "(a b) c)")))
        #expect(String(decoding: stat.comm, as: UTF8.self) == "(a b) c)")
        #expect(stat.startTime == 1234567)
    }

    @Test func commWithInvalidUTF8AndEscapesIsKeptAsBytes() throws {
        var bytes = Array("7 (".utf8) + [0xFF, 0x1B, 0x5B, 0x32, 0x4A] + Array(") R 1".utf8)
        bytes += Array(String(repeating: " 0", count: 30).utf8)
        let stat = try #require(ProcStat.parse(bytes))
        #expect(stat.comm == [0xFF, 0x1B, 0x5B, 0x32, 0x4A])
    }

    /// A real kthreadd (pid 2) and kworker line from this machine: flags 0x208040 and 0x4208060
    /// carry PF_KTHREAD; the python3 line's 0x400000 does not.
    @Test func kernelThreadsAreToldByTheirFlags() throws {
        let kthreadd = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 15 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
        let kworker = "10 (kworker/0:0H-events_highpri) I 2 0 0 0 -1 69238880 0 0 0 0 0 0 0 0 0 -20 1 0 15 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
        #expect(try #require(ProcStat.parse(Array(kthreadd.utf8))).isKernelThread)
        #expect(try #require(ProcStat.parse(Array(kworker.utf8))).flags == 69238880)
        #expect(try #require(ProcStat.parse(Array(kworker.utf8))).isKernelThread)
        #expect(try !#require(ProcStat.parse(Self.line(comm: "python3"))).isKernelThread)
    }

    @Test(arguments: ["", "garbage", "12 (x S 1 2", "12 (x) S", "abc (x) S 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"])
    func rejectsBrokenInput(text: String) {
        #expect(ProcStat.parse(Array(text.utf8)) == nil)
    }
}
