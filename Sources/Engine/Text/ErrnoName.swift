import CLinux

/// `-98` → `EADDRINUSE`: bind results read the way people grep for them.
public enum ErrnoName {
    public static func of(result: Int32) -> String {
        guard result < 0 else { return "OK" }
        guard let name = discotop_errno_name(-result) else { return String(result) }
        return String(cString: name)
    }
}
