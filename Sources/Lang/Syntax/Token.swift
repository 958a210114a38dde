// The tokens produced by `Lexer`: Python's token set, restricted to what Jacobi understands.

import BigInt

// MARK: - Token

/// One lexical token with its spelling and its place in the source.
///
/// ```swift
/// let tokens = try Lexer.tokenize("x = 1")
/// // tokens[0].kind == .name("x"), tokens[0].range.start.column == 1
/// // tokens[1].kind == .symbol(.assign)
/// ```
public struct Token: Sendable, Equatable, CustomStringConvertible {
    /// What kind of token this is, with its value.
    ///
    /// ```swift
    /// if case .int(let value) = token.kind { print(value) }
    /// ```
    public enum Kind: Sendable, Equatable {
        /// An identifier, e.g. `jacrev`, `_`, `x1`.
        case name(String)
        /// An integer literal, e.g. `1_000`, `0x1F`.
        case int(Int)
        /// An integer literal too large for 64 bits, e.g. `10**30` written out.
        case bigInt(BigInt)
        /// An f-string literal, split into literal text and replacement fields.
        case fstring([FStringPiece])
        /// A floating point literal, e.g. `1.`, `.5`, `2.5E+4`.
        case float(Double)
        /// A string literal with escapes resolved; adjacent literals stay separate tokens.
        case string(String)
        /// A reserved word, e.g. `lambda`, `True`.
        case keyword(Keyword)
        /// An operator or delimiter, e.g. `**=`, `(`.
        case symbol(Symbol)
        /// The end of a logical line (not emitted inside brackets or for blank lines).
        case newline
        /// The start of a more indented block.
        case indent
        /// The end of an indented block (zero width, one per closed level).
        case dedent
        /// The end of the source.
        case endOfInput
    }

    /// The token's kind and value, e.g. `.int(31)` for `0x1F`.
    public var kind: Kind
    /// The token exactly as spelled in the source, e.g. `0x1F` or `r'a\b'`; the indentation for an
    /// indent; empty for dedent and end of input.
    public var text: String
    /// Where the token is in the source, e.g. `1:5-1:9` for `'abc'` in `x = 'abc'`.
    public var range: SourceRange

    /// Creates a token.
    ///
    /// ```swift
    /// let t = Token(kind: .symbol(.comma), text: ",", range: r)
    /// ```
    public init(kind: Kind, text: String, range: SourceRange) {
        self.kind = kind; self.text = text; self.range = range
    }

    /// A short form for debugging.
    ///
    /// ```swift
    /// try Lexer.tokenize("x")[0].description   // "name(x)@1:1"
    /// ```
    public var description: String {
        let place = "@\(range.start.line):\(range.start.column)"
        switch kind {
        case .name(let n): return "name(\(n))" + place
        case .int(let v): return "int(\(v))" + place
        case .bigInt(let v): return "int(\(v))" + place
        case .fstring(let pieces): return "fstring(\(pieces.count) pieces)" + place
        case .float(let v): return "float(\(v))" + place
        case .string(let s): return "string(\(s.debugDescription))" + place
        case .keyword(let k): return "keyword(\(k.rawValue))" + place
        case .symbol(let s): return "'\(s.rawValue)'" + place
        case .newline: return "NEWLINE" + place
        case .indent: return "INDENT" + place
        case .dedent: return "DEDENT" + place
        case .endOfInput: return "EOF" + place
        }
    }
}

// MARK: - Keywords

/// Reserved words of Jacobi (a subset of Python's); raw values are the spelling.
///
/// ```swift
/// Keyword(rawValue: "lambda") == .lambda
/// Keyword(rawValue: "while") == nil   // not a Jacobi keyword
/// ```
public enum Keyword: String, Sendable, CaseIterable {
    case lambda, and, or, not, `in`, `is`, `if`, `else`, elif, `for`, def, `return`
    case `import`, from, `as`, del, pass
    case `True`, `False`, `None`
    case `class`, `while`, `break`, `continue`, `try`, except, finally, raise, with, assert
    case global, nonlocal
    /// Reserved by Python; Jacobi reports them as unsupported with what to do instead.
    case yield, async, await
}

// MARK: - f-strings

/// One piece of an f-string: literal text or a replacement field `{expression!r:spec}`.
public enum FStringPiece: Sendable, Equatable {
    /// Text with escapes resolved and `{{`/`}}` undoubled.
    case literal(String)
    /// A replacement field.
    case field(FStringField)
}

/// A replacement field of an f-string, as the lexer found it; the parser parses its expression.
///
/// ```swift
/// // f"{gain:.4f}" -> FStringField(expression: "gain", conversion: nil, spec: [.literal(".4f")], ...)
/// ```
public struct FStringField: Sendable, Equatable {
    /// The expression's source text.
    public var expression: String
    /// Where the expression starts in the whole source.
    public var start: SourceLocation
    /// `r`, `s` or `a` after `!`, if given.
    public var conversion: Character?
    /// The format spec after `:` (itself literal text and nested fields), if given.
    public var spec: [FStringPiece]?
    /// For `{x=}`: the text up to and including `=` (with its spaces), printed before the value.
    public var debugText: String?
}

// MARK: - Symbols

/// Operators and delimiters; raw values are the spelling.
///
/// ```swift
/// Symbol(rawValue: "//=") == .doubleSlashAssign
/// ```
public enum Symbol: String, Sendable, CaseIterable {
    // Arithmetic and bitwise operators.
    case plus = "+", minus = "-", star = "*", slash = "/", doubleSlash = "//", percent = "%"
    case doubleStar = "**", at = "@", ampersand = "&", pipe = "|", caret = "^", tilde = "~"
    case leftShift = "<<", rightShift = ">>"
    // Comparisons.
    case less = "<", greater = ">", lessEqual = "<=", greaterEqual = ">=", equalEqual = "==", notEqual = "!="
    // Assignment and augmented assignment.
    case assign = "="
    case plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="
    case doubleSlashAssign = "//=", percentAssign = "%=", doubleStarAssign = "**=", atAssign = "@="
    case ampersandAssign = "&=", pipeAssign = "|=", caretAssign = "^="
    case leftShiftAssign = "<<=", rightShiftAssign = ">>="
    // Delimiters.
    case arrow = "->", colon = ":", comma = ",", dot = ".", semicolon = ";", ellipsis = "..."
    case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
    case leftBrace = "{", rightBrace = "}"

    /// The closing bracket matching an opening one, e.g. `)` for `(`; `nil` for other symbols.
    ///
    /// ```swift
    /// Symbol.leftBracket.closingBracket == .rightBracket
    /// ```
    public var closingBracket: Symbol? { Self.closingBrackets[self] }

    /// Whether this is `)`, `]` or `}`.
    ///
    /// ```swift
    /// Symbol.rightBrace.isClosingBracket == true
    /// ```
    public var isClosingBracket: Bool { Self.closingBrackets.values.contains(self) }

    /// The operator applied by an augmented assignment, e.g. `.add` for `+=`; `nil` for other symbols.
    ///
    /// ```swift
    /// Symbol.atAssign.augmentedOperator == .matmul
    /// ```
    public var augmentedOperator: BinaryOperator? { Self.augmentedOperators[self] }

    private static let closingBrackets: [Symbol: Symbol] = [
        .leftParen: .rightParen, .leftBracket: .rightBracket, .leftBrace: .rightBrace,
    ]

    private static let augmentedOperators: [Symbol: BinaryOperator] = [
        .plusAssign: .add, .minusAssign: .subtract, .starAssign: .multiply, .slashAssign: .divide,
        .doubleSlashAssign: .floorDivide, .percentAssign: .modulo, .doubleStarAssign: .power,
        .atAssign: .matmul, .ampersandAssign: .bitAnd, .pipeAssign: .bitOr, .caretAssign: .bitXor,
        .leftShiftAssign: .leftShift, .rightShiftAssign: .rightShift,
    ]
}
