#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The environment variables the REPL reads (`TERM`, `COLUMNS`, `PAGER`, `HOME`, ...): the
/// process's, one `getenv` at a time, or a fixed set written as a dictionary literal (tests).
/// Building Foundation's whole `ProcessInfo.environment` dictionary at start cost 0.2 ms of the
/// first printed Jacobian, most of it the first use of its dictionary type.
///
/// ```swift
/// Driver.colorWanted(stdoutIsTerminal: true, environment: ["TERM": "xterm"])
/// Environment.process["HOME"]
/// ```
public struct Environment: ExpressibleByDictionaryLiteral, Sendable {
    private let fixed: [String: String]?

    /// The process's own environment, read when asked.
    public static let process = Environment(fixed: nil)

    private init(fixed: [String: String]?) { self.fixed = fixed }

    /// A fixed set of variables.
    public init(dictionaryLiteral elements: (String, String)...) {
        fixed = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// The variable's value, or nil when it is not set.
    public subscript(_ name: String) -> String? {
        if let fixed { return fixed[name] }
        return getenv(name).map { String(cString: $0) }
    }
}
