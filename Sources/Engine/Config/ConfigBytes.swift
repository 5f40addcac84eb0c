import Glibc

/// Reads a configuration whole, or refuses it with the reason: never a prefix of it. A file cut
/// short can parse as valid YAML and silently lose the selectors at its end.
enum ConfigBytes {
    /// What stands for standard input instead of a path, as in most Unix tools.
    static let standardInputPath = "-"
    /// The name standard input goes by in messages (`<stdin>:12: unknown key ...`).
    static let standardInputName = "<stdin>"

    /// Beyla's files are a few KiB; a configuration larger than this is the wrong file (a log,
    /// an image) rather than one to hold in memory and parse.
    static let limit = 64 << 20

    /// Only a regular file, or standard input through `-`: opening a FIFO blocks until some
    /// writer appears, and a device may never end, so neither is read through a path.
    static func read(path: String) throws(ConfigError) -> [UInt8] {
        if path == standardInputPath { return try readToEnd(fd: STDIN_FILENO, place: standardInputName, sizeHint: 0) }
        // O_NONBLOCK: open(2) of a FIFO without a writer returns at once instead of waiting.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw cannotRead(path, errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw cannotRead(path, errno) }
        let type = FileType(mode: info.st_mode)
        guard type == .regular else {
            throw ConfigError(place: path, message: "not a regular file (\(type)); give a file, or \(standardInputPath) to read standard input")
        }
        guard info.st_size <= limit else { throw tooLarge(path) }
        return try readToEnd(fd: fd, place: path, sizeHint: Int(info.st_size))
    }

    private static func readToEnd(fd: Int32, place: String, sizeHint: Int) throws(ConfigError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(min(sizeHint, limit) + 1)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw cannotRead(place, errno)
            }
            if count == 0 { return result }
            // A file may grow while it is read, and a pipe has no size to check up front.
            guard result.count + count <= limit else { throw tooLarge(place) }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    private static func cannotRead(_ place: String, _ code: Int32) -> ConfigError {
        ConfigError(place: place, message: "cannot read: \(String(cString: strerror(code))) (\(ErrnoName.of(result: -code)))")
    }

    private static func tooLarge(_ place: String) -> ConfigError {
        ConfigError(place: place, message: "larger than \(limit >> 20) MiB, the most discotop reads as a configuration; is this the right file?")
    }

    /// The kind of file a path names, for saying why it was refused.
    enum FileType: Equatable, CustomStringConvertible {
        case regular, directory, fifo, socket, characterDevice, blockDevice, other

        init(mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: self = .regular
            case S_IFDIR: self = .directory
            case S_IFIFO: self = .fifo
            case S_IFSOCK: self = .socket
            case S_IFCHR: self = .characterDevice
            case S_IFBLK: self = .blockDevice
            default: self = .other
            }
        }

        var description: String {
            switch self {
            case .regular: "a regular file"
            case .directory: "a directory"
            case .fifo: "a FIFO"
            case .socket: "a socket"
            case .characterDevice: "a character device"
            case .blockDevice: "a block device"
            case .other: "an unknown file type"
            }
        }
    }
}
