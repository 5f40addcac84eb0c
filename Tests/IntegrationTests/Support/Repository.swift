import Foundation

/// Files of this repository, found from this source file's own path.
enum Repository {
    static func path(_ relative: String) -> String {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)  // Tests/IntegrationTests/Support/Repository.swift
        return parts.joined(separator: "/") + "/" + relative
    }
}
