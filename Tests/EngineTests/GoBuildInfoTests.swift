import Testing
@testable import Engine

@Suite struct GoBuildInfoTests {
    /// The .go.buildinfo section of a real Go 1.19.8 binary (module example.com/discotop/hello),
    /// dumped with llvm-objcopy --dump-section; trailing zero padding trimmed.
    static let section = "ff20476f206275696c64696e663a08020000000000000000000000000000000008676f312e31392e3891023077af0c9274080241e1c107e6d618e670617468096578616d706c652e636f6d2f646973636f746f702f68656c6c6f0a6d6f64096578616d706c652e636f6d2f646973636f746f702f68656c6c6f0928646576656c29090a6275696c64092d636f6d70696c65723d67630a6275696c640943474f5f454e41424c45443d310a6275696c640943474f5f43464c4147533d0a6275696c640943474f5f435050464c4147533d0a6275696c640943474f5f435858464c4147533d0a6275696c640943474f5f4c44464c4147533d0a6275696c6409474f415243483d616d6436340a6275696c6409474f4f533d6c696e75780a6275696c6409474f414d4436343d76310af932433186182072008242104116d8f2"

    static var bytes: [UInt8] { InetDiagTests.bytes(section.count % 2 == 0 ? section : section + "0") }

    @Test func readsVersionAndModuleFromARealBinary() throws {
        let info = try #require(GoBuildInfo.parse(Self.bytes))
        #expect(info.version == "go1.19.8")
        #expect(info.path == "example.com/discotop/hello")
        #expect(info.module == "example.com/discotop/hello")
        #expect(Language.go(info).description == "Go 1.19.8 (example.com/discotop/hello)")
    }

    @Test func rejectsTruncatedAndForeignData() {
        let bytes = Self.bytes
        for cut in [0, 10, 31, 33, 40] { #expect(GoBuildInfo.parse(Array(bytes.prefix(cut))) == nil) }
        var wrongMagic = bytes
        wrongMagic[1] = 0x41
        #expect(GoBuildInfo.parse(wrongMagic) == nil)
        var oldFormat = bytes
        oldFormat[15] = 0  // pre-1.18 pointer layout: not read, rather than misread
        #expect(GoBuildInfo.parse(oldFormat) == nil)
    }

    @Test func languageDetectorRecognisesInterpretersAndNativeBinaries() {
        #expect(LanguageDetector.byName("/usr/bin/python3.11") == .python)
        #expect(LanguageDetector.byName("/usr/local/bin/node") == .nodejs)
        #expect(LanguageDetector.byName("/usr/sbin/nginx") == nil)
        #expect(LanguageDetector.fromELF("/usr/bin/true", exe: "/usr/bin/true") == .native)
        #expect(LanguageDetector.fromELF("/etc/hostname", exe: nil) == nil)
        #expect(LanguageDetector.runtime(fromMaps: "7f00 r-xp /usr/lib/jvm/java-17/lib/server/libjvm.so") == .java)
    }
}
