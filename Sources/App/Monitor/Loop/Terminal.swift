import CLinux
import CNcurses
import Glibc

/// The only type that talks to ncurses. Draws grids (only the rows that changed), reads keys
/// with a timeout, and restores the terminal on every exit path through `restore()`.
final class Terminal {
    private var previous: ScreenGrid?
    private var restored = false
    /// Set once the terminal is gone for good.
    private(set) var hungUp = false
    private let colors: Bool
    private var attributes: [CellStyle: Int32] = [:]
    /// The user's locale is UTF-8; otherwise the monitor writes ASCII only (see ScreenGrid).
    let isUTF8: Bool
    /// The terminal's cursor position request (terminfo u7), when it has one.
    private let positionQuery: String?
    /// What the fatal-signal guard writes: kept to arm it again after a suspension.
    private let exitSequence: String
    private let mouse: Bool

    /// Starts curses: no echo, raw keys (so Ctrl-C is a key, not a signal), keypad decoding,
    /// instant Esc, hidden cursor, the terminal's own background colour.
    /// `mouse`: report clicks and the wheel (ncurses' mousemask); off, the terminal keeps its
    /// own selection and scrollback.
    init(mouse: Bool = true) throws {
        self.mouse = mouse
        guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalError("the monitor needs a terminal; use `discotop list` or `discotop watch` in scripts") }
        // Without this, box and line characters come out as the old 'lqqk' charset in tmux.
        setenv("NCURSES_NO_UTF8_ACS", "1", 1)
        dt_setlocale()
        isUTF8 = dt_locale_is_utf8() != 0
        // The modes as the shell left them, for the fatal-signal handler to put back.
        _ = discotop_terminal_guard_save(0, 1)
        guard initscr() != nil else {
            throw TerminalError("cannot initialise the terminal (TERM=\(getenv("TERM").map { String(cString: $0) } ?? "unset"))")
        }
        positionQuery = Self.capability("u7")
        // CAN first: a signal can land while a frame is half written, and CAN makes the
        // terminal drop a half-received sequence (an unfinished OSC would swallow the rest).
        exitSequence = "\u{18}" + ["sgr0", "cnorm", "rmkx", "rmcup"].compactMap(Self.capability).joined()
        _ = discotop_terminal_guard_arm(exitSequence, positionQuery, CChar(UInt8(ascii: "R")))
        raw()
        noecho()
        keypad(dt_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if mouse { dt_mouse(1) }
        let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        colors = !noColor && has_colors()
        if colors {
            start_color()
            use_default_colors()
        }
        defineStyles()
    }

    deinit { restore() }

    /// Puts the terminal back as it was; safe to call more than once. Returns once the terminal
    /// has taken the exit sequence: tmux (3.3) closes the pty of a pane whose process it has
    /// reaped without reading what is still queued there, so a process that exits right after
    /// writing can leave the pane in the alternate screen.
    func restore() {
        guard !restored else { return }
        restored = true
        leave()
    }

    private func leave() {
        if mouse { dt_mouse(0) }
        curs_set(1)
        endwin()
        if let positionQuery {
            _ = discotop_terminal_settle(0, 1, positionQuery, positionQuery.utf8.count, CChar(UInt8(ascii: "R")), 1000)
        }
        discotop_terminal_guard_disarm()
    }

    /// Ctrl-Z or SIGTSTP: puts the terminal back as on exit, stops the process as the shell
    /// expects of a job (SIGTSTP, so it reports "Stopped"), and once `fg` continues it,
    /// takes the screen again. The next `draw` repaints every cell.
    func suspend() {
        guard !restored else { return }
        leave()
        // Raw mode keeps Ctrl-Z from the kernel's line discipline, and the monitor ignores
        // SIGTSTP so that it is handled here; to stop, it takes the default back for a moment.
        var only = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, SIGTSTP)
        var mask = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &only, &mask)
        let handler = signal(SIGTSTP, SIG_DFL)
        raise(SIGTSTP)
        signal(SIGTSTP, handler)
        pthread_sigmask(SIG_SETMASK, &mask, nil)
        // Continued: the shell may have changed the modes meanwhile; save them again.
        _ = discotop_terminal_guard_save(0, 1)
        _ = discotop_terminal_guard_arm(exitSequence, positionQuery, CChar(UInt8(ascii: "R")))
        reset_prog_mode()
        if mouse { dt_mouse(1) }
        curs_set(0)
        previous = nil
    }

    /// A string capability of the terminal from terminfo, nil when it has none.
    private static func capability(_ name: String) -> String? {
        guard let value = tigetstr(name), Int(bitPattern: value) != -1 else { return nil }
        return String(cString: value)
    }

    var size: (width: Int, height: Int) { (Int(dt_cols()), Int(dt_lines())) }

    /// Catches a size change that curses has not reported yet: SIGWINCH can land on any of the
    /// process's threads (dispatch workers too), and then KEY_RESIZE may never come. Returns
    /// true when the size changed and curses was told.
    func followWindowSize() -> Bool {
        var rows: Int32 = 0
        var columns: Int32 = 0
        guard dt_winsize(1, &rows, &columns) == 0 else {
            // EIO or ENOTTY: the terminal hung up (ssh dropped, tmux killed) without a SIGHUP
            // reaching us; there is no one left to show anything to.
            if errno == EIO || errno == ENOTTY || errno == EBADF { hungUp = true }
            return false
        }
        guard rows > 0, columns > 0 else { return false }
        guard rows != dt_lines() || columns != dt_cols() else { return false }
        resizeterm(rows, columns)
        return true
    }

    /// Waits up to `milliseconds` for a key.
    func readKey(milliseconds: Int32) -> Key? {
        wtimeout(dt_stdscr(), milliseconds)
        var value: wint_t = 0
        let status = wget_wch(dt_stdscr(), &value)
        switch status {
        case KEY_CODE_YES: return Self.functionKey(Int32(value))
        case OK: return Self.characterKey(UInt32(value))
        default: return nil
        }
    }

    /// Draws `grid`; `full` forgets what is on screen (after a resize or Ctrl-L).
    func draw(_ grid: ScreenGrid, cursor: (row: Int, column: Int)?, full: Bool) {
        if full || previous?.width != grid.width || previous?.height != grid.height {
            previous = nil
            clearok(dt_stdscr(), true)
            werase(dt_stdscr())
        }
        for row in 0..<grid.height where previous == nil || !rowEqual(previous!, grid, row) {
            drawRow(grid, row)
        }
        previous = grid
        if let cursor {
            curs_set(1)
            wmove(dt_stdscr(), Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wrefresh(dt_stdscr())
    }

    private func rowEqual(_ a: ScreenGrid, _ b: ScreenGrid, _ row: Int) -> Bool {
        (0..<b.width).allSatisfy { a[row, $0] == b[row, $0] }
    }

    /// Writes a row as runs of one style each. The last cell of the screen is skipped: writing
    /// it would scroll some terminals.
    private func drawRow(_ grid: ScreenGrid, _ row: Int) {
        var column = 0
        let lastColumn = row == grid.height - 1 ? grid.width - 1 : grid.width
        while column < lastColumn {
            let style = grid[row, column].style
            var text = ""
            let start = column
            while column < lastColumn, grid[row, column].style == style {
                // A wide character whose right half is that last cell becomes a blank.
                let cutOff = column + 1 == lastColumn && lastColumn < grid.width && grid[row, lastColumn].isRightHalf
                text.append(cutOff ? " " : grid[row, column].character)
                column += 1
            }
            wattrset(dt_stdscr(), attributes[style] ?? dt_a_normal())
            _ = mvwaddstr(dt_stdscr(), Int32(row), Int32(start), text)
        }
        wattrset(dt_stdscr(), dt_a_normal())
    }

    private func defineStyles() {
        // Pair colours use -1 (the terminal's default) so the user's background shows through.
        let pairs: [(CellStyle, Int16, Int16, Int32)] = [
            (.header, Int16(COLOR_BLACK), Int16(COLOR_CYAN), 0),
            (.title, Int16(COLOR_CYAN), -1, dt_a_bold()),
            (.focusedTitle, Int16(COLOR_BLACK), Int16(COLOR_GREEN), dt_a_bold()),
            (.columnHeader, Int16(COLOR_BLACK), Int16(COLOR_WHITE), 0),
            (.selected, Int16(COLOR_BLACK), Int16(COLOR_CYAN), 0),
            (.fresh, Int16(COLOR_GREEN), -1, dt_a_bold()),
            (.match, Int16(COLOR_YELLOW), -1, dt_a_bold()),
            (.error, Int16(COLOR_RED), -1, dt_a_bold()),
            (.keyHint, Int16(COLOR_BLACK), Int16(COLOR_CYAN), 0),
            (.keyLabel, -1, -1, dt_a_bold()),
            (.prompt, -1, -1, dt_a_underline()),
            (.tagged, Int16(COLOR_YELLOW), -1, dt_a_bold()),
            (.menu, Int16(COLOR_BLACK), Int16(COLOR_WHITE), 0),
        ]
        attributes[.normal] = dt_a_normal()
        attributes[.dim] = dt_a_dim()
        attributes[.tombstone] = dt_a_dim()
        if colors {
            for (index, (style, foreground, background, extra)) in pairs.enumerated() {
                init_pair(Int16(index + 1), foreground, background)
                attributes[style] = dt_color_pair(Int32(index + 1)) | extra
            }
        } else {
            // NO_COLOR: attributes only.
            for style in [CellStyle.header, .focusedTitle, .columnHeader, .selected, .keyHint, .menu] { attributes[style] = dt_a_reverse() }
            for style in [CellStyle.title, .fresh, .match, .error, .keyLabel, .tagged] { attributes[style] = dt_a_bold() }
            attributes[.prompt] = dt_a_underline()
        }
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_RESIZE: return .resize
        case KEY_MOUSE:
            var row: Int32 = 0
            var column: Int32 = 0
            let kinds: [Int32: MousePress.Kind] = [1: .click, 2: .wheelUp, 3: .wheelDown]
            return kinds[dt_mouse_read(&row, &column)].map { .mouse(MousePress(kind: $0, row: Int(row), column: Int(column))) }
        default:
            for n in 1...12 where code == dt_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 3: return .controlC
        case 1: return .controlA
        case 5: return .controlE
        case 9: return .tab
        case 10, 13: return .enter
        case 12: return .controlL
        case 19: return .controlS
        case 21: return .controlU
        case 23: return .controlW
        case 26: return .controlZ
        case 27: return .escape
        case 8, 127: return .backspace
        case 0..<32: return nil
        default: return Unicode.Scalar(value).map { .character(Character($0)) }
        }
    }
}

struct TerminalError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
