import XCTest
import Foundation
@testable import Printer
import Tensor

/// NumPy's printing as JAX uses it (`str(x)` and `repr(x)` of `jax.Array`) against what JAX 0.10.2
/// printed for 156 arrays (`Fixtures/jax_printing.json`, from `Fixtures/make_jax_printing.py`):
/// shortest digits cut at 8 decimals, scientific mode and its thresholds (1e6 for float32), padding,
/// nan/inf, line wrapping at 75 columns, summarisation past 1000 elements, 0-d arrays, empty
/// arrays, `weak_type=True`, and the `dtype=` placement.
final class NumPyFormatterTests: XCTestCase {
    struct Case: Decodable {
        let name: String
        let dtype: String
        let shape: [Int]
        let values: [Element]
        let weak_type: Bool
        let str: String
        let repr: String
    }

    /// An element as the fixture gives it: a decimal string for floats, a number or bool otherwise.
    enum Element: Decodable {
        case text(String)
        case number(Double)
        case integer(Int64)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .number(b ? 1 : 0); return }
            if let i = try? c.decode(Int64.self) { self = .integer(i); return }
            if let d = try? c.decode(Double.self) { self = .number(d); return }
            self = .text(try c.decode(String.self))
        }
    }

    func testEveryFixturePrintsAsJAXPrintsIt() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "jax_printing", withExtension: "json", subdirectory: "Fixtures"))
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
        XCTAssertGreaterThan(cases.count, 150)
        for c in cases {
            let dtype = try XCTUnwrap(DType(rawValue: c.dtype), c.name)
            let values = c.values.map { e -> Double in
                if case .integer(let i) = e { return Double(i) }
                guard case .text(let v) = e else { if case .number(let d) = e { return d }; return 0 }
                switch v {
                case "nan": return .nan
                case "inf": return .infinity
                case "-inf": return -.infinity
                case "True": return 1
                case "False": return 0
                default: return Double(v)!
                }
            }
            var t = Tensor(shape: Shape(c.shape), doubles: values, dtype: dtype)
            if dtype == .int64 {
                // Exact int64 values (past 2^53 a Double would round them).
                t = Tensor(shape: Shape(c.shape), int64: c.values.map { if case .integer(let i) = $0 { return i }; return 0 })
            }
            XCTAssertEqual(NumPyFormatter.str(t), c.str, "str of \(c.name)")
            XCTAssertEqual(NumPyFormatter.jaxRepr(t, weakType: c.weak_type), c.repr, "repr of \(c.name)")
        }
    }

    func testNumPyReprNamesTheDTypeOnlyWhenTheElementsDoNotImplyIt() {
        XCTAssertEqual(NumPyFormatter.numpyRepr(Tensor(shape: [2], doubles: [1.5, 2], dtype: .float32)), "array([1.5, 2. ], dtype=float32)")
        XCTAssertEqual(NumPyFormatter.numpyRepr(Tensor(shape: [2], doubles: [1.5, 2], dtype: .float64)), "array([1.5, 2. ])")
        XCTAssertEqual(NumPyFormatter.numpyRepr(Tensor(shape: [0], doubles: [], dtype: .int64)), "array([], dtype=int64)")
    }
}
