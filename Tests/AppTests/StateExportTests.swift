import Foundation
@testable import Engine
import Glibc
import Testing
@testable import App

/// Ctrl-S's file: named for the host and the time, never over another, in the first directory
/// that takes it, removed when its write fails; the key's notice says where or why not.
@Suite struct StateExportTests {
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/discotop-export-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func nameSaysHostAndTimeAndIsSafe() {
        // 2026-12-01T23:19:08Z
        let wall: UInt64 = 1_796_167_148 * 1_000_000_000 + 5
        #expect(ExportFile.name(host: "web-1.example", at: wall) == "discotop-web-1.example-20261201T231908Z.json")
        #expect(ExportFile.name(host: "a/b c", at: wall, attempt: 2) == "discotop-a-b-c-20261201T231908Z-2.json")
        #expect(ExportFile.name(host: "", at: wall).hasPrefix("discotop-unknown-"))
    }

    @Test func writesTheListDocumentAndNeverOverwrites() throws {
        var state = try MonitorFixture.state()
        MonitorFixture.publish(&state) { $0.lastFullScan = ScanReport(); $0.lastFullScanAt = WallClock.now() }
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = ExportFile(directories: [directory])
        let wall = WallClock.now()
        let first = StateExport.write(state.engine, to: file, at: wall)
        let second = StateExport.write(state.engine, to: file, at: wall)
        let name = ExportFile.name(host: ListJSON.hostname(), at: wall)
        #expect(first == "exported 3 processes to \(directory)/\(name)")
        #expect(second == "exported 3 processes to \(directory)/\(name.replacingOccurrences(of: ".json", with: "-2.json"))")
        let data = try #require(FileManager.default.contents(atPath: "\(directory)/\(name)"))
        // The same bytes `serve` and `list` build, from the one builder.
        #expect(Array(data) == ListJSON.document(of: state.engine))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((document["processes"] as? [Any])?.count == 3)
        #expect(document["criteria"] as? String == state.engine.criteria.description)
    }

    @Test func anUnwritableDirectoryFallsBackAndBothFailingSaysWhy() throws {
        var state = try MonitorFixture.state()
        MonitorFixture.publish(&state) { $0.lastFullScan = ScanReport() }
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // /proc takes no new file, even from root.
        let fallback = StateExport.write(state.engine, to: ExportFile(directories: ["/proc", directory + "/state/discotop"]), at: WallClock.now())
        #expect(fallback.hasPrefix("exported 3 processes to \(directory)/state/discotop/discotop-"), "\(fallback)")
        let neither = StateExport.write(state.engine, to: ExportFile(directories: ["/proc", "/proc/none"]), at: WallClock.now())
        #expect(neither.hasPrefix("cannot export: /proc: "), "\(neither)")
        #expect(neither.contains("; /proc/none: "), "\(neither)")
        // Before the first scan there is nothing to describe, and no file.
        #expect(StateExport.write(EngineState(), to: ExportFile(directories: [directory]), at: WallClock.now()) == "nothing to export yet: the first scan is not done")
    }

    @Test func ctrlSAsksForTheExportAndTheFooterFitsItsNotice() throws {
        var state = try MonitorFixture.state()
        let reaction = state.handle(.controlS)
        #expect(reaction.export && reaction.redraw)
        _ = state.say("exported 10000 processes to /a/very/long/directory/that/goes/on/and/on/discotop-somehost-20261201T231908Z.json")
        let footer = MonitorFixture.screen(state, width: 80, height: 24).line(23)
        #expect(footer.contains("…/discotop-somehost-20261201T231908Z.json"), "\(footer)")
        #expect(footer.contains("q Quit"), "\(footer)")
    }
}
