/// The monitor's own options, beside the engine's: how it starts and what it may do.
struct MonitorOptions {
    /// `--tree`: start in the tree view, whatever the preferences say.
    var tree = false
    /// `--no-mouse`: leave the mouse to the terminal (its own selection and scrollback).
    var mouse = true
    /// `--readonly`: never send a signal.
    var readonly = false
    /// Nil with `--no-config`: preferences are neither read nor written.
    var preferences: PreferencesFile? = PreferencesFile()
}
