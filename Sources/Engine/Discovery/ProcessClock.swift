import Glibc

/// Converts a process's start time (clock ticks since boot, from /proc/PID/stat) to wall
/// time and age. Boot-time based, so suspend does not make processes look younger.
public enum ProcessClock {
    static let ticksPerSecond = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))

    /// Nanoseconds since boot now.
    static func uptimeNanos() -> UInt64 {
        var uptime = timespec()
        clock_gettime(CLOCK_BOOTTIME, &uptime)
        return UInt64(uptime.tv_sec) * 1_000_000_000 + UInt64(uptime.tv_nsec)
    }

    /// Wall-clock nanoseconds when a process that started at `startTicks` began.
    public static func startedAt(startTicks: UInt64) -> UInt64 {
        startedAt(startTicks: startTicks, bootWallNanos: bootWallNanos())
    }

    /// When the machine booted, in wall-clock nanoseconds (read once, see `bootTime`).
    public static func bootWallNanos() -> UInt64 {
        bootTime
    }

    /// As `startedAt(startTicks:)` for a boot time taken once: a view that converts many
    /// start times per frame, or a test that fixes the boot time.
    public static func startedAt(startTicks: UInt64, bootWallNanos: UInt64) -> UInt64 {
        bootWallNanos &+ startTicks * (1_000_000_000 / ticksPerSecond)
    }

    /// When the machine booted, read once: every `started_at` of one run then agrees to the
    /// microsecond for the same process, where two readings of the clocks would differ.
    private static let bootTime = WallClock.now() &- uptimeNanos()

    /// How long ago it started, in nanoseconds.
    public static func age(startTicks: UInt64) -> UInt64 {
        let started = startTicks * (1_000_000_000 / ticksPerSecond)
        let now = uptimeNanos()
        return now > started ? now - started : 0
    }
}
