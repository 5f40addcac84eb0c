/// Reads the bytes that left the agent against the responses its handlers wrote: each starts
/// with a status line for that response, its head ends, its body is framed as the head says,
/// and nothing is left over.
enum ResponseCheck {
    static func framing(of output: [UInt8], as responses: [ResponseLog.Response]) {
        var at = 0
        for (index, response) in responses.enumerated() {
            let statusLine = Array("HTTP/\(response.version.major).\(response.version.minor) \(response.status.code) ".utf8)
            precondition(has(statusLine, in: output, at: at), "response \(index) does not start with its status line")
            guard let headEnd = find([13, 10, 13, 10], in: output, from: at) else { preconditionFailure("response \(index) has no end of head") }
            let head = output[at..<headEnd]
            let firstLine = head.prefix { $0 != 13 }
            precondition(firstLine.allSatisfy { $0 >= 0x20 && $0 < 0x7F }, "a status line with control bytes")
            at = headEnd + 4
            let chunked = String(decoding: head, as: UTF8.self).lowercased().contains("\r\ntransfer-encoding: chunked")
            if chunked, at < output.count, hexValue(output[at]) != nil {
                at = chunks(of: output, from: at, last: index == responses.count - 1 && !response.ended)
            } else if !chunked {
                at += response.bodyBytes
            } else {
                // Chunked but nothing follows: the body of a response to HEAD, which NIO's encoder leaves out.
                precondition(response.ended, "an open stream of no chunk")
            }
            precondition(at <= output.count, "response \(index) is shorter than its body")
        }
        precondition(at == output.count, "\(output.count - at) bytes after the last response")
    }

    /// Walks `size CRLF data CRLF` chunks to the `0 CRLF CRLF` that ends them; an open stream
    /// (the last response, not ended) may stop after any whole chunk.
    private static func chunks(of output: [UInt8], from start: Int, last open: Bool) -> Int {
        var at = start
        while true {
            if open, at == output.count { return at }
            var size = 0
            var digits = 0
            while at < output.count, let value = hexValue(output[at]) {
                size = size * 16 + value
                digits += 1
                at += 1
                precondition(digits <= 8, "a chunk size of more than 8 hex digits")
            }
            precondition(digits > 0 && has([13, 10], in: output, at: at), "a chunk without its size line")
            at += 2
            if size == 0 {
                precondition(has([13, 10], in: output, at: at), "a last chunk without its empty line")
                return at + 2
            }
            at += size
            precondition(has([13, 10], in: output, at: at), "a chunk not ended by CRLF")
            at += 2
        }
    }

    private static func has(_ bytes: [UInt8], in output: [UInt8], at offset: Int) -> Bool {
        offset <= output.count && output[offset...].starts(with: bytes)
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        return (start...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
