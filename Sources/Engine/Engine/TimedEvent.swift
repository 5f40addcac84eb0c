/// An engine event and when it happened, in wall-clock nanoseconds: the kernel's timestamp for a
/// kernel event and for what it caused (`created`, `matched`, … after a listen), the engine's
/// clock for what a scan, a timer or new criteria caused.
public struct TimedEvent: Sendable {
    public var event: EngineEvent
    public var time: UInt64

    public init(_ event: EngineEvent, time: UInt64) {
        self.event = event
        self.time = time
    }
}
