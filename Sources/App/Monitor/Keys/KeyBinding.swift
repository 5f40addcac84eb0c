/// One row of a key table: the keys, what they do, and the words the help and the README
/// say about them. Dispatch, the footer, the help and the README all read these rows, so a
/// key that works is a key that is documented.
struct KeyBinding: Sendable {
    let keys: [Key]
    let action: MonitorAction
    /// A sentence for the help screen and the README.
    let help: String

    /// The keys as people write them: `q F10 Ctrl-C`.
    var names: String { keys.map(\.name).joined(separator: " ") }
}

/// A short reminder in the footer for one or more actions (`<>` Sort covers two). Shown by
/// priority when the footer is narrow; the lowest goes first.
struct FooterHint: Sendable {
    let actions: [MonitorAction]
    let priority: Int
    /// The label may say what is in effect now (`Resume` while paused, `Rate 200ms`).
    let label: @Sendable (MonitorState) -> String

    init(_ actions: [MonitorAction], priority: Int, label: @escaping @Sendable (MonitorState) -> String) {
        self.actions = actions
        self.priority = priority
        self.label = label
    }

    init(_ actions: [MonitorAction], priority: Int, _ text: String) {
        self.init(actions, priority: priority) { _ in text }
    }
}

/// What every key without a binding does on a screen, and how the help and the footer say it.
struct OtherKeys: Sendable {
    let action: MonitorAction
    let help: String
    let label: String
}

/// The keys of one screen (the panes, the inspect view, the help): its bindings in the order
/// the help lists them, the footer's hints, and what any other key does there.
struct KeyTable: Sendable {
    let title: String
    let bindings: [KeyBinding]
    let footer: [FooterHint]
    /// What a key with no binding does on this screen (the help goes back); nil: nothing.
    var otherKeys: OtherKeys?

    func action(for key: Key) -> MonitorAction? {
        bindings.first { $0.keys.contains(key.binding) }?.action ?? otherKeys?.action
    }

    /// The key a footer hint shows for an action: its binding's first key.
    func firstKey(of action: MonitorAction) -> Key? {
        bindings.first { $0.action == action }?.keys.first
    }

    /// The footer text for a hint's keys: `F1`, `<>`, `+-`.
    func keyText(of hint: FooterHint) -> String {
        let names = hint.actions.compactMap(firstKey).map(\.name)
        return names.allSatisfy { $0.count == 1 } ? names.joined() : names.joined(separator: " ")
    }
}
