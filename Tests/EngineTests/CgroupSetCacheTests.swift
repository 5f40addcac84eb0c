import Testing
@testable import Engine

/// One cgroup read per css_set: what the cache keeps and what it refuses to.
struct CgroupSetCacheTests {
    @Test func aReadPlacementIsSharedByItsCssSet() {
        let cache = CgroupSetCache()
        #expect(cache[7] == nil)
        cache[7] = .some(CgroupPlacement(path: "/system.slice/web.service", systemdUnit: "web.service"))
        #expect(cache[7]??.path == "/system.slice/web.service")
        #expect(cache[8] == nil)
    }

    /// A text that names no placement is an answer too: the other tasks of the set need not read it.
    @Test func aPlacementOfNoneIsKeptAsAnAnswer() {
        let cache = CgroupSetCache()
        cache[3] = .some(nil)
        #expect(cache[3] != nil)
        #expect(cache[3]! == nil)
    }

    /// Key 0 is a css_set the kernel did not report: every such process reads its own file.
    @Test func theUnknownKeyIsNeverShared() {
        let cache = CgroupSetCache()
        cache[0] = .some(CgroupPlacement(path: "/"))
        #expect(cache[0] == nil)
    }
}
