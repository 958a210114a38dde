import Tensor
import AD
import NN

/// The builtin classes. Each is made once, with its slots, by the function named after it in
/// the `Types/` file of its kind (`Types+Numbers.swift` for `int`, `float` and `bool`, ...).
///
/// ```swift
/// Value.list([]).pyType === BuiltinTypes.list   // true
/// ```
public enum BuiltinTypes {
    public static let object = makeObjectType()
    public static let type = makeTypeType()
    public static let noneType = makeNoneType()
    public static let int = makeIntType()
    public static let bool = makeBoolType()
    public static let float = makeFloatType()
    public static let str = makeStrType()
    public static let list = makeListType()
    public static let tuple = makeTupleType()
    public static let dict = makeDictType(name: "dict", moduleName: "builtins", base: object)
    public static let orderedDict = makeDictType(name: "OrderedDict", moduleName: "collections", base: dict)
    public static let defaultDict = makeDictType(name: "defaultdict", moduleName: "collections", base: dict)
    public static let counter = makeDictType(name: "Counter", moduleName: "collections", base: dict)
    public static let set = makeSetType(name: "set")
    public static let frozenset = makeSetType(name: "frozenset")
    public static let function = makeFunctionType(name: "function")
    public static let builtinFunction = makeFunctionType(name: "builtin_function_or_method")
    public static let method = makeFunctionType(name: "method")
    public static let tensor = makeTensorType()
    public static let parameter = makeParameterType()
    public static let size = makeSizeType()
    public static let dtype = makeDTypeType()
    public static let device = makeDeviceType()
    public static let slice = makeSliceType()
    public static let range = makeRangeType()
    public static let ellipsis = makeEllipsisType()
    public static let notImplementedType = makeNotImplementedType()
    public static let moduleObject = makeNamespaceType()
    public static let property = makePropertyType()
    public static let staticMethod = makeStaticMethodType()
    public static let classMethod = makeClassMethodType()
    public static let superType = makeSuperType()
    public static let nnModule = makeModuleType(name: "Module", moduleName: "torch.nn.modules.module", base: object)
    public static let contextManager = makeContextManagerType()
    public static let partial = makePartialType()
    public static let file = makeFileType()

    /// The `NotImplemented` constant.
    public static let notImplemented = Value.instance(Instance(cls: notImplementedType))

    nonisolated(unsafe) private static var exceptions: [ExceptionKind: TypeObject] = [:]
    nonisolated(unsafe) private static var moduleTypes: [String: TypeObject] = [:]
    nonisolated(unsafe) private static var iteratorTypes: [String: TypeObject] = [:]

    /// The class of a builtin exception.
    public static func exception(_ kind: ExceptionKind) -> TypeObject {
        if let t = exceptions[kind] { return t }
        let t = makeExceptionType(kind, base: kind.parent.map(exception) ?? object)
        exceptions[kind] = t
        return t
    }

    /// The class of a builtin layer (`Linear`, `Tanh`, `Sequential`, ...), derived from `nn.Module`.
    public static func moduleType(_ name: String) -> TypeObject {
        if let t = moduleTypes[name] { return t }
        let t = makeModuleType(name: name, moduleName: moduleModuleName(name), base: nnModule)
        moduleTypes[name] = t
        return t
    }

    /// The class of an iterator (`list_iterator`, `generator`, `zip`, ...).
    public static func iteratorType(_ name: String) -> TypeObject {
        if let t = iteratorTypes[name] { return t }
        let t = makeIteratorType(name)
        iteratorTypes[name] = t
        return t
    }

    /// Builtin classes a `class` statement may derive from.
    static func subclassable(_ t: TypeObject) -> Bool {
        t === object || t === nnModule || t.isSubtype(of: exception(.BaseException))
    }

    /// PyTorch's module path of a layer class, for `<class 'torch.nn.modules.linear.Linear'>`.
    private static func moduleModuleName(_ name: String) -> String {
        switch name {
        case "Linear", "Identity": return "torch.nn.modules.linear"
        case "Sequential", "ModuleList", "ModuleDict": return "torch.nn.modules.container"
        case "LayerNorm": return "torch.nn.modules.normalization"
        case "Flatten": return "torch.nn.modules.flatten"
        case "Dropout": return "torch.nn.modules.dropout"
        default: return "torch.nn.modules.activation"
        }
    }
}

extension Value {
    /// The value's class (`type(v)`).
    public var pyType: TypeObject {
        switch self {
        case .none: return BuiltinTypes.noneType
        case .bool: return BuiltinTypes.bool
        case .int, .bigInt: return BuiltinTypes.int
        case .float: return BuiltinTypes.float
        case .string: return BuiltinTypes.str
        case .tensor(let h):
            if h.isParameter { return BuiltinTypes.parameter }
            return h.api == .torch ? BuiltinTypes.tensor : BuiltinTypes.jaxArray
        case .list: return BuiltinTypes.list
        case .tuple: return BuiltinTypes.tuple
        case .dict(let d):
            switch d.flavor {
            case .plain: return BuiltinTypes.dict
            case .ordered: return BuiltinTypes.orderedDict
            case .defaultDict: return BuiltinTypes.defaultDict
            case .counter: return BuiltinTypes.counter
            }
        case .set(let s): return s.frozen ? BuiltinTypes.frozenset : BuiltinTypes.set
        case .function(let f):
            switch f.body {
            case .user: return BuiltinTypes.function
            case .builtin, .native: return BuiltinTypes.builtinFunction
            case .bound: return BuiltinTypes.method
            }
        case .type: return BuiltinTypes.type
        case .instance(let i): return i.cls
        case .module(let m):
            if let u = m as? UserModule { return u.cls }
            return BuiltinTypes.moduleType(m.typeName)
        case .namespace: return BuiltinTypes.moduleObject
        case .slice: return BuiltinTypes.slice
        case .shape: return BuiltinTypes.size
        case .dtype: return BuiltinTypes.dtype
        case .ellipsis: return BuiltinTypes.ellipsis
        }
    }
}
