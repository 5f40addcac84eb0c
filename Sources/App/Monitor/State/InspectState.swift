import Engine

/// The inspect view of one process: open at once, filled in when the background read
/// (`InspectionReader`) delivers, scrolled by the movement keys.
struct InspectState {
    let record: ProcessRecord
    /// Nil while the read is under way: the view says "reading…".
    var inspection: Inspection?
    var scroll = ScrollPosition()

    var pid: Int32 { record.pid }
    var title: String { "Inspect pid \(record.pid) (\(record.comm))" }
}
