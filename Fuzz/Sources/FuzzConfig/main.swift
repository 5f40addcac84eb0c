import Engine
import FuzzDriver

/// A Beyla / OBI configuration file, as `--config` and `check-config` read it (Yams, then
/// discotop's own readers of discovery), resolved into criteria as the commands do.
@_cdecl("LLVMFuzzerTestOneInput")
public func configFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        var sources = CriteriaSources()
        sources.file = try ConfigFile.parse(text, name: "fuzz.yml")
        _ = sources.resolve()
    } catch {
        _ = error.description
    }
    return 0
}

discotop_fuzz(CommandLine.argc, CommandLine.unsafeArgv) { configFuzz($0, $1) }
