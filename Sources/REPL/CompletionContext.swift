/// The word that TAB completes, found from the text before the cursor.
///
/// The line editor replaces exactly ``word`` (the end of the text before the cursor) with
/// the completer's candidates, so a completer returns full replacements for ``word`` and
/// uses ``kind`` to decide what to offer:
///
/// ```swift
/// let c = CompletionContext(lineBeforeCursor: "y = net.block1.we")
/// // c.kind == .identifier, c.word == "net.block1.we"
///
/// let s = CompletionContext(lineBeforeCursor: #"x = load("sessions/da"#)
/// // s.kind == .stringLiteral, s.word == "sessions/da"
///
/// let p = CompletionContext(lineBeforeCursor: ":load sessions/da")
/// // p.kind == .path, p.word == "sessions/da", p.command == ":load"
/// ```
///
/// The rules, in order:
/// 1. A line starting with `:` (after blanks) is a REPL command. While the cursor is still
///    in its name, the word is the name with its colon (`:hist`, kind ``Kind/command``).
///    After the name, ``command`` holds it and the arguments follow the rules below; for a
///    command in `pathCommands`, an unquoted argument is a ``Kind/path`` word that runs
///    back to the previous blank.
/// 2. Inside a string literal that is still open (`'`, `"`, `'''` or `"""`, backslash
///    escapes), the word is everything after the opening quote (``Kind/stringLiteral``).
/// 3. After a `#` outside strings, the rest is a comment: the word is empty
///    (``Kind/comment``), and nothing should be offered.
/// 4. Otherwise the word is the longest run of letters, digits, `_` and `.` that ends at the
///    cursor (``Kind/identifier``), possibly empty.
public struct CompletionContext: Equatable, Sendable {
    /// What sort of word is being completed.
    ///
    /// ```swift
    /// switch context.kind {
    /// case .identifier: candidates = names(matching: context.word)
    /// case .command: candidates = commands.filter { $0.hasPrefix(context.word) }
    /// case .path, .stringLiteral: candidates = PathCompletion.candidates(for: context.word)
    /// case .comment: candidates = []
    /// }
    /// ```
    public enum Kind: Equatable, Sendable {
        /// A name, possibly dotted: `net.block1.we`, `torch.func.jac`, or empty.
        case identifier
        /// The name of a REPL command, colon included: `:hi`.
        case command
        /// The inside of a string literal that is still open, without the quote: `sessions/da`.
        case stringLiteral
        /// An unquoted argument of a command in `pathCommands`: `~/data/ba`.
        case path
        /// Inside a `#` comment; the word is empty.
        case comment
    }

    /// The commands whose unquoted arguments are file paths, unless told otherwise.
    ///
    /// ```swift
    /// CompletionContext.defaultPathCommands   // [":load", ":save"]
    /// ```
    public static let defaultPathCommands: Set<String> = [":load", ":save"]

    /// What sort of word ``word`` is.
    ///
    /// ```swift
    /// CompletionContext(lineBeforeCursor: ":he").kind   // .command
    /// ```
    public var kind: Kind

    /// The text just before the cursor that a completion replaces.
    ///
    /// ```swift
    /// CompletionContext(lineBeforeCursor: "f(x.sha").word   // "x.sha"
    /// ```
    public var word: String

    /// The REPL command whose arguments the cursor is in, colon included, or `nil`.
    ///
    /// ```swift
    /// CompletionContext(lineBeforeCursor: ":time vmap(jac").command   // ":time"
    /// ```
    public var command: String?

    /// Makes a context from its parts.
    ///
    /// ```swift
    /// let c = CompletionContext(kind: .identifier, word: "jac")
    /// ```
    public init(kind: Kind, word: String, command: String? = nil) {
        self.kind = kind
        self.word = word
        self.command = command
    }

    /// Finds the word to complete in the text before the cursor (see the type's rules).
    ///
    /// ```swift
    /// CompletionContext(lineBeforeCursor: "J = jacr").word                  // "jacr"
    /// CompletionContext(lineBeforeCursor: ":save ~/ru", pathCommands: [":save"]).kind  // .path
    /// ```
    public init(lineBeforeCursor before: String, pathCommands: Set<String> = defaultPathCommands) {
        let text = Array(before)
        var start = 0
        while start < text.count, text[start].isWhitespace {
            start += 1
        }

        var command: String?
        if start < text.count, text[start] == ":" {
            var end = start + 1
            while end < text.count, Self.isCommandNameCharacter(text[end]) {
                end += 1
            }
            if end == text.count {
                self.init(kind: .command, word: String(text[start...]))
                return
            }
            if end > start + 1 {
                command = String(text[start..<end])
                start = end
            }
        }

        switch Self.scan(text, from: start) {
        case .openString(let contentStart):
            self.init(kind: .stringLiteral, word: String(text[contentStart...]), command: command)
        case .comment:
            self.init(kind: .comment, word: "", command: command)
        case .code:
            if let command, pathCommands.contains(command) {
                var wordStart = text.count
                while wordStart > start, !text[wordStart - 1].isWhitespace {
                    wordStart -= 1
                }
                self.init(kind: .path, word: String(text[wordStart...]), command: command)
                return
            }
            var wordStart = text.count
            while wordStart > start, Self.isIdentifierCharacter(text[wordStart - 1]) {
                wordStart -= 1
            }
            self.init(kind: .identifier, word: String(text[wordStart...]), command: command)
        }
    }

    /// How a candidate appears in the list shown on a second TAB: the last path component
    /// for paths (keeping a directory's `/`), the last dotted part for identifiers.
    ///
    /// ```swift
    /// CompletionContext(kind: .path, word: "data/b").displayText(for: "data/batch/")   // "batch/"
    /// CompletionContext(kind: .identifier, word: "net.b").displayText(for: "net.block1") // "block1"
    /// ```
    public func displayText(for candidate: String) -> String {
        switch kind {
        case .path, .stringLiteral:
            let isDirectory = candidate.hasSuffix("/")
            let trimmed = isDirectory ? String(candidate.dropLast()) : candidate
            guard let slash = trimmed.lastIndex(of: "/") else { return candidate }
            return String(trimmed[trimmed.index(after: slash)...]) + (isDirectory ? "/" : "")
        case .identifier:
            guard let dot = candidate.dropLast().lastIndex(of: ".") else { return candidate }
            return String(candidate[candidate.index(after: dot)...])
        case .command, .comment:
            return candidate
        }
    }

    // MARK: - Scanning

    /// Where the end of the scanned text lies.
    private enum ScanState {
        /// In ordinary code.
        case code
        /// In a string literal whose content starts at this index.
        case openString(contentStart: Int)
        /// In a comment.
        case comment
    }

    /// Follows string literals and comments from `start` to the end of `text`.
    private static func scan(_ text: [Character], from start: Int) -> ScanState {
        var index = start
        while index < text.count {
            let character = text[index]
            if character == "#" {
                return .comment
            }
            guard character == "\"" || character == "'" else {
                index += 1
                continue
            }
            let triple = index + 2 < text.count && text[index + 1] == character
                && text[index + 2] == character
            let quoteLength = triple ? 3 : 1
            let contentStart = index + quoteLength
            guard let closing = closingQuote(in: text, from: contentStart, quote: character,
                                             triple: triple) else {
                return .openString(contentStart: contentStart)
            }
            index = closing + quoteLength
        }
        return .code
    }

    /// The index of the quote that closes a string whose content starts at `start`, or nil.
    private static func closingQuote(in text: [Character], from start: Int, quote: Character,
                                     triple: Bool) -> Int? {
        var index = start
        while index < text.count {
            let character = text[index]
            if character == "\\" {
                index += 2
                continue
            }
            if character == quote {
                if !triple {
                    return index
                }
                if index + 2 < text.count, text[index + 1] == quote, text[index + 2] == quote {
                    return index
                }
            }
            index += 1
        }
        return nil
    }

    private static func isIdentifierCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "."
    }

    private static func isCommandNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-"
    }
}
