import Engine
import FuzzDriver

/// `-p`, the monitor's `/` prompt, `open_port` and BEYLA_OPEN_PORT all end here.
@_cdecl("LLVMFuzzerTestOneInput")
public func portRangesFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let ranges = try PortRanges(parsing: text)
        // The canonical text is what check-config prints and the prompt shows back; it must
        // read as the same set, and every bound it names must be inside it.
        let again = try PortRanges(parsing: ranges.description)
        precondition(again == ranges, "description does not read back: \(ranges)")
        for range in ranges.ranges {
            precondition(ranges.contains(range.lowerBound) && ranges.contains(range.upperBound))
        }
    } catch {
        _ = error.description + error.shortDescription
    }
    _ = try? PortRanges.parseOptional(text)
    return 0
}

discotop_fuzz(CommandLine.argc, CommandLine.unsafeArgv) { portRangesFuzz($0, $1) }
