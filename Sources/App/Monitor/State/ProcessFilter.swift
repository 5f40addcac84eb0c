import Engine

/// htop's filter (`\`, F4): text that a row must contain somewhere in its pid, user, comm, exe
/// or ports, ignoring case. It narrows every pane at once, Bind events included (by the
/// event's pid, comm and port).
struct ProcessFilter: Equatable {
    let text: String
    private let needle: String

    /// Nil for blank text: no filter at all.
    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        self.text = trimmed
        needle = trimmed.lowercased()
    }

    func matches(_ record: ProcessRecord) -> Bool {
        contains([String(record.pid), record.user, record.comm, record.exe ?? "", PortText.summary(record.ports)])
    }

    func matches(_ event: KernelEvent) -> Bool {
        contains([String(event.pid), event.comm, "\(event.address):\(event.port)"])
    }

    private func contains(_ fields: [String]) -> Bool {
        fields.contains { $0.lowercased().contains(needle) }
    }
}
