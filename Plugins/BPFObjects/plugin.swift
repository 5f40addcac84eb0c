import Foundation
import PackagePlugin

/// Compiles `bpf/*.bpf.c` with the toolchain's clang (`-target bpf`) on every build and embeds
/// each object in the target as a base64 string, so no compiled object is ever committed.
@main
struct BPFObjects: BuildToolPlugin {
    /// Program source name → Swift symbol holding its object.
    static let programs = ["watcher": "watcherObjectBase64", "iterator": "iteratorObjectBase64"]
    static let headers = ["kernel_types.h", "socket_fields.h", "discotop_event.h"]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let clang = try context.tool(named: "clang").url
        let objcopy = try context.tool(named: "llvm-objcopy").url
        let bpf = context.package.directoryURL.appending(path: "bpf")
        let script = bpf.appending(path: "embed-object.sh")
        let headers = Self.headers.map { bpf.appending(path: $0) }
        return Self.programs.sorted { $0.key < $1.key }.map { name, symbol in
            let source = bpf.appending(path: "\(name).bpf.c")
            let output = context.pluginWorkDirectoryURL.appending(path: "BPFObject_\(name).swift")
            return .buildCommand(
                displayName: "Compiling BPF program \(name).bpf.c",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, clang.path, objcopy.path, source.path, output.path, symbol],
                inputFiles: [source, script] + headers,
                outputFiles: [output])
        }
    }
}
