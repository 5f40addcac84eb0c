import Testing
@testable import Engine

/// `/proc/PID/cgroup` as real hosts write it: cgroup v2 with the systemd driver, v1 with
/// cgroupfs and hybrid systems, for each container runtime.
@Suite struct CgroupPlacementTests {
    static let id = "3f1c9a0b7e2d4c5f8a6b1e0d9c8b7a6f5e4d3c2b1a09f8e7d6c5b4a392817061"

    @Test(arguments: [
        // docker, cgroup v2, systemd driver.
        ("0::/system.slice/docker-\(id).scope\n", CgroupPlacement.Runtime.docker, "docker-\(id).scope"),
        // docker, cgroup v1, cgroupfs driver.
        ("12:pids:/docker/\(id)\n11:memory:/docker/\(id)\n1:name=systemd:/docker/\(id)\n", .docker, nil),
        // containerd under Kubernetes, cgroup v2 (systemd driver).
        ("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0a1b2c3d_4e5f_6789_abcd_ef0123456789.slice/cri-containerd-\(id).scope\n",
         .containerd, "cri-containerd-\(id).scope"),
        // containerd (nerdctl), cgroupfs.
        ("0::/default/\(id)\n", .unknown, nil),
        // CRI-O, v2.
        ("0::/kubepods.slice/kubepods-pod1.slice/crio-\(id).scope\n", .crio, "crio-\(id).scope"),
        // CRI-O's monitor process.
        ("0::/kubepods.slice/kubepods-pod1.slice/crio-conmon-\(id).scope\n", .crio, "crio-conmon-\(id).scope"),
        // podman rootful, v2.
        ("0::/machine.slice/libpod-\(id).scope/container\n", .podman, "libpod-\(id).scope"),
        // podman rootless, v2, under the user's systemd.
        ("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-\(id).scope\n", .podman, "libpod-\(id).scope"),
        // podman, cgroupfs manager on v1.
        ("4:memory:/libpod_parent/libpod-\(id)\n1:name=systemd:/libpod_parent/libpod-\(id)\n", .podman, nil),
        // Hybrid: v1 controllers plus the v2 mount systemd uses.
        ("10:cpu,cpuacct:/system.slice/docker-\(id).scope\n1:name=systemd:/system.slice/docker-\(id).scope\n0::/system.slice/docker-\(id).scope\n",
         .docker, "docker-\(id).scope"),
    ] as [(String, CgroupPlacement.Runtime, String?)])
    func namesTheContainerAndItsRuntime(text: String, runtime: CgroupPlacement.Runtime, unit: String?) throws {
        let placement = try #require(CgroupPlacement.parse(text))
        #expect(placement.containerID == Self.id)
        #expect(placement.runtime == runtime)
        #expect(placement.systemdUnit == unit)
    }

    @Test(arguments: [
        ("0::/system.slice/nginx.service\n", "/system.slice/nginx.service", "nginx.service"),
        ("0::/user.slice/user-1000.slice/session-3.scope\n", "/user.slice/user-1000.slice/session-3.scope", "session-3.scope"),
        ("0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox-4242.scope\n",
         "/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox-4242.scope", "app-gnome-firefox-4242.scope"),
        // cgroup v1: the unit is in the name=systemd hierarchy, not in the controllers' paths.
        ("11:memory:/system.slice\n1:name=systemd:/system.slice/postgresql@15-main.service\n",
         "/system.slice/postgresql@15-main.service", "postgresql@15-main.service"),
        ("0::/init.scope\n", "/init.scope", "init.scope"),
        // A slice is not a unit a process runs in; the root cgroup names nothing.
        ("0::/system.slice\n", "/system.slice", nil),
        ("0::/\n", "/", nil),
    ] as [(String, String, String?)])
    func namesTheSystemdUnitOfAHostProcess(text: String, path: String, unit: String?) throws {
        let placement = try #require(CgroupPlacement.parse(text))
        #expect(placement.path == path)
        #expect(placement.systemdUnit == unit)
        #expect(placement.containerID == nil)
        #expect(placement.runtime == nil)
    }

    @Test func idsOfTheWrongLengthOrNotHexAreNoContainer() {
        #expect(CgroupPlacement.parse("0::/system.slice/docker-\(Self.id.dropLast()).scope\n")?.containerID == nil)
        #expect(CgroupPlacement.parse("0::/docker/\(Self.id.dropLast())z\n")?.containerID == nil)
    }

    @Test func brokenTextNamesNoHierarchy() {
        #expect(CgroupPlacement.parse("") == nil)
        #expect(CgroupPlacement.parse("garbage without colons\n") == nil)
    }

    @Test func inspectSaysAnotherNetworkNamespaceWhenTheCgroupNamesNoContainer() {
        var details = ProcessDetails(
            record: Fixture.process(pid: 10), cmdline: [], parents: [], startedAt: nil,
            placement: CgroupPlacement.parse("0::/user.slice/user-0.slice/session-1.scope\n"), otherNetworkNamespace: true, language: .native)
        #expect(details.containerSummary.hasPrefix("none (another network namespace"))
        details.otherNetworkNamespace = false
        #expect(details.containerSummary == "none (host process)")
        details.placement = CgroupPlacement.parse("0::/system.slice/docker-\(Self.id).scope\n")
        #expect(details.containerSummary == "docker " + Self.id.prefix(12))
    }
}
