import CBPF
import Glibc

/// An opened libbpf object whose ELF bytes stay alive as long as it does.
final class BPFObject {
    let handle: OpaquePointer
    private let bytes: UnsafeMutableRawBufferPointer
    private(set) var links: [OpaquePointer] = []

    /// Opens `image` with only the programs named in `enabled` set to load (all when nil).
    init(image: [UInt8], name: String, enabled: Set<String>?) throws(BPFError) {
        Self.libbpfSetUpOnce
        discotop_libbpf_clear_message()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: image.count, alignment: 8)
        image.withUnsafeBytes { buffer.copyMemory(from: $0) }
        var options = bpf_object_open_opts()
        options.sz = MemoryLayout<bpf_object_open_opts>.size
        let opened: OpaquePointer? = name.withCString { cName in
            options.object_name = cName
            return bpf_object__open_mem(buffer.baseAddress, buffer.count, &options)
        }
        guard let opened else {
            let code = errno
            buffer.deallocate()
            throw BPFError.call(.open, code: code)
        }
        bytes = buffer
        handle = opened
        if let enabled {
            var program = bpf_object__next_program(handle, nil)
            while let current = program {
                bpf_program__set_autoload(current, enabled.contains(String(cString: bpf_program__name(current))))
                program = bpf_object__next_program(handle, current)
            }
        }
        let status = bpf_object__load(handle)
        // Every stored property is set by now, so a throw runs deinit: it closes the object.
        guard status == 0 else {
            let programs = enabled.map { $0.sorted().joined(separator: ",") } ?? name
            throw BPFError.loadRefused(program: programs, errno: abs(status), detail: String(cString: discotop_libbpf_last_message()))
        }
    }

    deinit {
        for link in links { bpf_link__destroy(link) }
        bpf_object__close(handle)
        bytes.deallocate()
    }

    /// Attaches each named program at the hook its section names; cgroup programs at the
    /// cgroup behind `cgroup`.
    func attach(_ names: [String], cgroup: Int32? = nil) throws(BPFError) {
        for name in names {
            guard let program = bpf_object__find_program_by_name(handle, name) else {
                throw BPFError.call(.missingProgram, errno: ENOENT, detail: name)
            }
            discotop_libbpf_clear_message()
            let isCgroup = bpf_program__type(program) == BPF_PROG_TYPE_CGROUP_SOCK
            let attached = isCgroup ? cgroup.flatMap { bpf_program__attach_cgroup(program, $0) } : bpf_program__attach(program)
            guard let link = attached else {
                throw BPFError.attachRefused(
                    program: name, errno: isCgroup && cgroup == nil ? EBADF : errno, detail: String(cString: discotop_libbpf_last_message()))
            }
            links.append(link)
        }
    }

    func mapFD(_ name: String) throws(BPFError) -> Int32 {
        guard let map = bpf_object__find_map_by_name(handle, name) else { throw BPFError.call(.missingMap, errno: ENOENT, detail: name) }
        return bpf_map__fd(map)
    }

    private static let libbpfSetUpOnce: Void = {
        discotop_fixed_mmap_threshold()
        discotop_libbpf_capture_messages()
    }()
}
