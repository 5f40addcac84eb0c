@testable import Engine
import FuzzDriver
import Glibc

/// An executable as language detection reads it through libelf: ELF headers (either class and
/// byte order, extended section numbering), section names, then `.go.buildinfo` or the string
/// tables. ELFFile hands libelf a descriptor it reads with pread, so the input is written to a
/// file and read back by path, exactly as the /proc exe link is.
private let scratch: (fd: Int32, path: String) = {
    var template = Array("/dev/shm/discotop-fuzz-elf-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    precondition(fd >= 0, "mkstemp failed: \(errno)")
    let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    // Unlinked at once: the file lives through /proc/self/fd as long as the fuzzer runs.
    unlink(path)
    return (fd, "/proc/self/fd/\(fd)")
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func elfFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    precondition(ftruncate(scratch.fd, 0) == 0)
    if size > 0 { precondition(pwrite(scratch.fd, data, size, 0) == size) }
    _ = LanguageDetector.fromELF(scratch.path, exe: nil)
    return 0
}

discotop_fuzz(CommandLine.argc, CommandLine.unsafeArgv) { elfFuzz($0, $1) }
