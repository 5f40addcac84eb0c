@testable import Engine
import Testing
@testable import App

/// `list` pads its columns by display width: a CJK name takes two columns per character.
@Suite struct ListTableWidthTests {
    @Test func listTableAlignsWideNamesByDisplayColumns() {
        let verdict = MatchVerdict.noCriteria
        let rows = [
            (MonitorFixture.record(pid: 1, ports: [80], comm: "sshd", exe: "/usr/sbin/sshd"), verdict),
            (MonitorFixture.record(pid: 22, ports: [8080], comm: "服务器监听", exe: "/opt/服务/bin"), verdict),
            (MonitorFixture.record(pid: 333, ports: [9], comm: "e\u{301}\u{302}x", exe: "/x"), verdict),
        ]
        let lines = ListTable.render(rows: rows, showMatch: false).split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        func column(of needle: String, in line: String) -> Int? {
            guard let range = line.range(of: needle) else { return nil }
            return DisplayWidth.of(String(line[..<range.lowerBound]))
        }
        let exe = column(of: "EXE", in: lines[0])
        let ports = column(of: "PORTS", in: lines[0])
        #expect(column(of: "/usr/sbin/sshd", in: lines[1]) == exe)
        #expect(column(of: "/opt/服务/bin", in: lines[2]) == exe)
        #expect(column(of: "/x", in: lines[3]) == exe)
        #expect(column(of: "8080/tcp", in: lines[2]) == ports)
        #expect(column(of: "9/tcp", in: lines[3]) == ports)
    }
}
