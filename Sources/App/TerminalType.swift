import CNcurses
import Engine
import Glibc

/// The terminal type the monitor will draw for, checked before curses starts: ncurses' initscr
/// reacts to a TERM it has no description of by printing its own "Error opening terminal" and
/// exiting, which says nothing of discotop or of what to do.
enum TerminalType {
    /// Nil when terminfo knows `TERM` (or there is no terminal, which the monitor reports
    /// itself); else the message to show. Nothing is written to the terminal either way.
    static func problem(term: String? = getenv("TERM").map { String(cString: $0) }) -> String? {
        guard isatty(1) == 1 else { return nil }
        guard let term, !term.isEmpty else {
            return "TERM is not set, so the monitor cannot tell how to draw; set it (e.g. TERM=xterm-256color), or use `discotop list` or `discotop watch`"
        }
        switch dt_terminfo_knows(term) {
        case 1: return nil
        case 2: return "terminal type '\(SafeText.sanitize(term))' (TERM) cannot move the cursor, which the monitor needs; set TERM to the terminal's real type (e.g. xterm-256color), or use `discotop list` or `discotop watch`"
        case -1: return "no terminfo database found for TERM=\(SafeText.sanitize(term)) (install ncurses-base or ncurses-term), or use `discotop list` or `discotop watch`"
        default: return "terminal type '\(SafeText.sanitize(term))' (TERM) is not in the terminfo database; set TERM to one that is (e.g. xterm-256color), or use `discotop list` or `discotop watch`"
        }
    }
}
