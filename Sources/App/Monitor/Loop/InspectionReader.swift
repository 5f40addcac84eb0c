import Dispatch
import Engine

/// Reads the inspect view's content off the UI thread: /proc and up to 16 MB of ELF (or an agent
/// asked for them) can take a while, and the loop must keep drawing and reading keys meanwhile. The finished read
/// waits here until the loop takes it.
final class InspectionReader: Sendable {
    private let queue = DispatchQueue(label: "discotop.inspect")
    private let done = Locked<Inspection?>(nil)
    private let wakeup: Wakeup
    private let source: any StateSource

    init(wakeup: Wakeup, source: any StateSource) {
        self.wakeup = wakeup
        self.source = source
    }

    func read(_ record: ProcessRecord, verdict: MatchVerdict?, criteria: Criteria) {
        queue.async { [self] in
            let inspection = source.inspect(record, verdict: verdict, criteria: criteria)
            done.withLock { $0 = inspection }
            wakeup.signal()
        }
    }

    func take() -> Inspection? {
        done.withLock { done in
            defer { done = nil }
            return done
        }
    }
}
