import Testing
@testable import Engine

@Suite struct HookSelectionTests {
    @Test func pinsConcernsByTheirNamesAndTheirEventKinds() throws {
        let pinned = try HookSelection.parse(["bind=cgroup", "listen=raw_tp", "udp-close=off", "exit=tp_btf"])
        #expect(pinned[.bind] == .some(.cgroup))
        #expect(pinned[.state] == .some(.rawTP))
        #expect(pinned[.release] == .some(nil))
        #expect(pinned[.exit] == .some(.tpBTF))
        #expect(pinned[.fork] == nil)
    }

    @Test func refusesATierTheConcernDoesNotHave() {
        #expect(throws: HookSelection.Invalid.self) { try HookSelection.parse(["state=fexit"]) }
        do {
            _ = try HookSelection.parse(["state=fexit"])
        } catch {
            #expect(error.description == "--hook state takes one of tp_btf, raw_tp, off, not \"fexit\"")
        }
    }

    @Test func refusesMalformedItems() {
        for item in ["bind", "=cgroup", "sockets=tp_btf", ""] {
            #expect(throws: HookSelection.Invalid.self, "\(item)") { try HookSelection.parse([item]) }
        }
    }
}

@Suite struct WatcherHooksTests {
    @Test func saysWhatEachTierCannotSee() {
        let hooks = WatcherHooks(tiers: [.bind: .cgroup, .state: .tpBTF, .fork: .tpBTF, .exec: .rawTP])
        #expect(hooks.limits == [.off(.exit), .failedBindsUnseen, .bindSocketFromRescan, .udpCloseUnseen])
        #expect(!hooks.seesFailedBinds)
        #expect(hooks.description == "bind=cgroup listen=tp_btf close=tp_btf udp-close=off fork=tp_btf exec=raw_tp exit=off")
        #expect(hooks.summary == "cgroup+tp_btf+raw_tp, no exit")
    }

    @Test func aFullSetHasNoLimits() {
        let hooks = WatcherHooks(tiers: [.bind: .fexit, .state: .tpBTF, .release: .cgroup, .fork: .tpBTF, .exec: .tpBTF, .exit: .tpBTF])
        #expect(hooks.limits.isEmpty)
        #expect(hooks.seesFailedBinds)
    }

    @Test func everyTierOfEveryConcernNamesItsPrograms() {
        for concern in HookConcern.allCases {
            for tier in concern.tiers { #expect(!concern.programs(tier).isEmpty, "\(concern) \(tier)") }
        }
    }
}

@Suite struct CapabilitiesTests {
    @Test func readsTheEffectiveSetFromProcStatus() {
        // A DaemonSet's set: CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, CAP_SYS_ADMIN.
        let status = "Name:\tdiscotop\nCapInh:\t0000000000000000\nCapEff:\t000000c000280004\nCapBnd:\t000001ffffffffff\n"
        let caps = Capabilities(effective: Capabilities.readEffective(status))
        #expect(caps.has(.bpf) && caps.has(.perfmon) && caps.has(.sysPtrace) && caps.has(.dacReadSearch) && caps.has(.sysAdmin))
        #expect(!caps.has(.netAdmin))
        #expect(caps.canLoadTracing && caps.canLoadCgroupSocket && caps.canReadOtherProcesses)
        #expect(caps.limits.isEmpty)
    }

    @Test func namesWhatIsMissingAndWhatItCosts() {
        let none = Capabilities(effective: 0)
        #expect(none.missing(for: .tracing) == [.bpf, .perfmon])
        #expect(none.missing(for: .cgroupSocket) == [.bpf, .netAdmin])
        #expect(none.limits == [.otherUsersProcesses, .otherNetworkNamespaces])
        let bpfOnly = Capabilities(effective: 1 << 39 | 1 << 38)
        #expect(bpfOnly.canLoadTracing && !bpfOnly.canLoadCgroupSocket)
        #expect(BPFError.preflight(none) == .missingCapabilities([.bpf, .perfmon], for: .tracing)
            || BPFError.preflight(none) == .noBTF)
    }
}

@Suite struct Cgroup2RootTests {
    /// From a hybrid host (cgroup v1 controllers, the v2 hierarchy at .../unified) and a
    /// container whose cgroup2 mount shows only its own subtree.
    @Test func findsCgroup2MountsThatShowTheirRoot() {
        let mountinfo = """
            24 30 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            32 24 0:27 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
            33 32 0:28 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
            34 32 0:29 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,name=systemd
            90 80 0:28 /kubepods/pod1 /host/cgroup rw,relatime - cgroup2 cgroup2 rw
            91 80 0:28 / /mnt/with\\040space rw,relatime - cgroup2 cgroup2 rw
            """
        #expect(Cgroup2Root.mountPoints(mountinfo: mountinfo) == ["/sys/fs/cgroup/unified", "/mnt/with space"])
    }
}
