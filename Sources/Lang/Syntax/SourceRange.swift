/// A position in a source text: 1-based line and column (columns count Unicode scalars).
///
/// ```swift
/// let p = SourceLocation(offset: 0, line: 1, column: 1)
/// ```
public struct SourceLocation: Hashable, Sendable, Comparable {
    /// Offset in Unicode scalars from the start of the text.
    public var offset: Int
    /// 1-based line number.
    public var line: Int
    /// 1-based column number.
    public var column: Int

    /// Creates a location.
    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset; self.line = line; self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool { a.offset < b.offset }
}

/// A half-open range `[start, end)` in a source text, kept by every token and AST node.
public struct SourceRange: Hashable, Sendable {
    /// First character of the range.
    public var start: SourceLocation
    /// One past the last character of the range.
    public var end: SourceLocation

    /// Creates a range.
    public init(_ start: SourceLocation, _ end: SourceLocation) {
        self.start = start; self.end = end
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(Swift.min(start, other.start), Swift.max(end, other.end))
    }
}
