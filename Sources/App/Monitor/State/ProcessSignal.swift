import Glibc

/// The signals the signal menu offers (htop's short list), by name and number.
enum ProcessSignal: CaseIterable, Sendable {
    case term, kill, hup, int, quit, usr1, usr2, stop, cont

    var number: Int32 {
        switch self {
        case .term: SIGTERM
        case .kill: SIGKILL
        case .hup: SIGHUP
        case .int: SIGINT
        case .quit: SIGQUIT
        case .usr1: SIGUSR1
        case .usr2: SIGUSR2
        case .stop: SIGSTOP
        case .cont: SIGCONT
        }
    }

    var name: String {
        switch self {
        case .term: "SIGTERM"
        case .kill: "SIGKILL"
        case .hup: "SIGHUP"
        case .int: "SIGINT"
        case .quit: "SIGQUIT"
        case .usr1: "SIGUSR1"
        case .usr2: "SIGUSR2"
        case .stop: "SIGSTOP"
        case .cont: "SIGCONT"
        }
    }

    /// What it usually does, for the menu.
    var meaning: String {
        switch self {
        case .term: "ask to terminate"
        case .kill: "kill at once (cannot be caught)"
        case .hup: "hang up (many servers reload)"
        case .int: "interrupt, as Ctrl-C"
        case .quit: "quit with a core dump"
        case .usr1: "user signal 1"
        case .usr2: "user signal 2"
        case .stop: "stop (cannot be caught)"
        case .cont: "continue a stopped process"
        }
    }
}

/// A signal to send, once confirmed: the run loop sends it (see `SignalSender`), not the state.
struct SignalRequest: Equatable {
    var signal: ProcessSignal
    var targets: [ProcessTarget]
}

/// A process to signal, by identity: the sender checks the pid still names the same process.
struct ProcessTarget: Equatable {
    var pid: Int32
    var startTicks: UInt64
    var comm: String
}
