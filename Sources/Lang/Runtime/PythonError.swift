import Tensor
import AD

/// The one error type of the language: a Python exception in flight. Everything Jacobi raises
/// (bad arguments, shape errors from the tensor library, Ctrl-C, `sys.exit`) is one of these,
/// with PyTorch's choice of class, so `except RuntimeError` catches a shape error and
/// `except Exception` does not catch Ctrl-C. Only syntax errors stay `Diagnostic`s.
///
/// ```swift
/// throw PythonError(.TypeError, "forward() takes 2 positional arguments but 3 were given", at: range)
/// ```
public struct PythonError: Error, CustomStringConvertible {
    /// The exception object (`except E as e` binds it).
    public let exception: Instance
    /// Where it was raised, for the report of an uncaught exception.
    public var range: SourceRange?
    /// The text `range` refers to (nil: the text being run).
    public var source: SourceText?
    /// What to do instead, shown under the report.
    public var hint: String?

    /// An exception of a builtin class with a message.
    public init(_ kind: ExceptionKind, _ message: String, at range: SourceRange? = nil, hint: String? = nil) {
        self.exception = Instance(cls: BuiltinTypes.exception(kind), attributes: ["args": .tuple([.string(message)])])
        self.range = range
        self.hint = hint
    }

    /// An exception of a builtin class with arguments (`KeyError(key)`, `SystemExit(3)`).
    public init(_ kind: ExceptionKind, arguments: [Value], at range: SourceRange? = nil, hint: String? = nil) {
        self.exception = Instance(cls: BuiltinTypes.exception(kind), attributes: ["args": .tuple(arguments)])
        self.range = range
        self.hint = hint
    }

    /// An exception object raised by `raise`.
    public init(exception: Instance, at range: SourceRange? = nil) {
        self.exception = exception
        self.range = range
    }

    /// The class name, e.g. `RuntimeError`.
    public var typeName: String { exception.cls.name }

    /// The exception's arguments.
    public var arguments: [Value] {
        if case .tuple(let a)? = exception.attributes["args"] { return a }
        return []
    }

    /// `str(e)` when it can be known without running user code (a message string).
    public var message: String {
        let a = arguments
        if a.count == 1, case .string(let s) = a[0] {
            return exception.cls.isSubtype(of: BuiltinTypes.exception(.KeyError)) ? pythonQuoted(s) : s
        }
        if a.isEmpty { return "" }
        return a.map { v -> String in
            if case .string(let s) = v { return s }
            return "\(v)"
        }.joined(separator: ", ")
    }

    /// Whether the exception is an instance of a builtin class (or a subclass of it).
    public func isInstance(of kind: ExceptionKind) -> Bool {
        exception.cls.isSubtype(of: BuiltinTypes.exception(kind))
    }

    public var description: String { message.isEmpty ? typeName : "\(typeName): \(message)" }

    /// The same error with a place, unless it already has one. An error raised with a range but
    /// no source text (`PythonError(..., at: range)` in a builtin) gets the text of the innermost
    /// statement or expression that catches it, the text its range points into: the string of an
    /// `eval`, `exec` or `Timer(stmt)`, or a function's file, not the file being run.
    /// An empty text (the interpreter's before any `run`: a `:trace` or `:time` expression, which
    /// the REPL places in its command line itself) leaves the source unset.
    func placed(_ r: SourceRange?, _ s: SourceText?) -> PythonError {
        var e = self
        let text = s?.text.isEmpty == false ? s : nil
        if range == nil, let r {
            e.range = r
            e.source = text
        } else if range != nil && source == nil {
            e.source = text
        }
        return e
    }
}

/// Python's builtin exception classes that Jacobi raises or users catch, with their hierarchy.
public enum ExceptionKind: String, CaseIterable {
    case BaseException, Exception, KeyboardInterrupt, SystemExit, GeneratorExit
    case ArithmeticError, ZeroDivisionError, OverflowError, FloatingPointError
    case AssertionError, AttributeError, EOFError, MemoryError, BufferError
    case ImportError, ModuleNotFoundError
    case LookupError, IndexError, KeyError
    case NameError, UnboundLocalError
    case OSError, FileNotFoundError, FileExistsError, PermissionError, IsADirectoryError, NotADirectoryError, TimeoutError
    case RuntimeError, NotImplementedError, RecursionError
    case StopIteration, SyntaxError, SystemError, TypeError
    case ValueError, UnicodeError
    case Warning, UserWarning, DeprecationWarning, RuntimeWarning, FutureWarning

    /// The base class.
    public var parent: ExceptionKind? {
        switch self {
        case .BaseException: return nil
        case .Exception, .KeyboardInterrupt, .SystemExit, .GeneratorExit: return .BaseException
        case .ArithmeticError, .AssertionError, .AttributeError, .EOFError, .MemoryError, .BufferError, .ImportError,
             .LookupError, .NameError, .OSError, .RuntimeError, .StopIteration, .SyntaxError, .SystemError,
             .TypeError, .ValueError, .Warning:
            return .Exception
        case .ZeroDivisionError, .OverflowError, .FloatingPointError: return .ArithmeticError
        case .ModuleNotFoundError: return .ImportError
        case .IndexError, .KeyError: return .LookupError
        case .UnboundLocalError: return .NameError
        case .FileNotFoundError, .FileExistsError, .PermissionError, .IsADirectoryError, .NotADirectoryError, .TimeoutError:
            return .OSError
        case .NotImplementedError, .RecursionError: return .RuntimeError
        case .UnicodeError: return .ValueError
        case .UserWarning, .DeprecationWarning, .RuntimeWarning, .FutureWarning: return .Warning
        }
    }

    /// The exception class PyTorch raises for a tensor-library error of this kind.
    public init(_ kind: TensorError.Kind) {
        switch kind {
        case .runtime: self = .RuntimeError
        case .index: self = .IndexError
        case .value: self = .ValueError
        case .type: self = .TypeError
        case .notImplemented: self = .NotImplementedError
        case .overflow: self = .OverflowError
        case .zeroDivision: self = .ZeroDivisionError
        case .memory: self = .MemoryError
        case .fileNotFound: self = .FileNotFoundError
        }
    }
}
