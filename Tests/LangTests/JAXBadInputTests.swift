import XCTest
@testable import Lang

/// Bad arguments to JAX's functions end in an error with a class JAX users would catch, never in a
/// crash: out-of-range axes, negative sizes and counts, sizes past the memory limit, empty
/// branch lists, mismatched pytrees.
final class JAXBadInputTests: XCTestCase {
    func testBadArgumentsRaiseAndTheSessionGoesOn() {
        let interp = Interpreter(output: { _ in }, warn: { _ in })
        XCTAssertTrue(interp.run("import jax\nimport jax.numpy as jnp\nfrom jax import random, lax\nkey = random.PRNGKey(0)\nx = jnp.arange(6.0).reshape(2, 3)",
                                 file: "<test>").diagnostics.isEmpty)
        let cases: [(String, String)] = [
            ("jnp.prod(x, axis=5)", "ValueError"), ("jnp.median(x, axis=-7)", "ValueError"), ("jnp.squeeze(x, axis=9)", "ValueError"),
            ("jnp.flip(x, axis=4)", "ValueError"), ("jnp.tile(x, -2)", "ValueError"), ("jnp.repeat(x, -1)", "ValueError"),
            ("jnp.tril(jnp.ones(3))", "ValueError"), ("jnp.eye(-2)", "Error"), ("jnp.arange(1e30)", "Error"),
            ("jnp.linspace(0, 1, -3)", "ValueError"), ("jnp.zeros((-1, 2))", "Error"), ("jnp.ones(10**12)", "MemoryError"),
            ("jnp.diag_indices(-3)", "ValueError"), ("random.normal(key, (-2,))", "Error"), ("random.permutation(key, -5)", "Error"),
            ("random.split(key, -1)", "Error"), ("random.normal(key, (10**12,))", "MemoryError"),
            ("lax.scan(lambda c, x: (c, x), 0, None, length=-2)", "ValueError"), ("lax.switch(0, [], 1.0)", "ValueError"),
            ("jax.nn.one_hot(jnp.array([1]), -2)", "ValueError"), ("jnp.sum(x, axis=(0, 5))", "ValueError"),
            ("jnp.concatenate([])", "Error"), ("random.fold_in(key, 2**40)", "OverflowError"),
            ("random.randint(key, (2,), 0, 2**31)", "OverflowError"), ("jax.grad(lambda v: v)(jnp.ones(2))", "TypeError"),
            ("jax.tree_util.tree_map(lambda a, b: a, [1, 2], [1])", "ValueError"), ("x[0] = 1.0", "TypeError"),
            ("jnp.ones(3) + jnp.ones(4)", "TypeError"), ("jax.vmap(lambda a, b: a + b)(jnp.ones(3), jnp.ones(4))", "ValueError"),
            // 0-d arrays where an axis is needed, and sizes that overflow (found by review).
            ("jnp.sort(jnp.array(1.0))", "ValueError"), ("jnp.prod(jnp.array(2.0), axis=0)", "ValueError"),
            ("jnp.cumsum(jnp.array(1.0), axis=0)", "ValueError"), ("jnp.squeeze(jnp.array(1.0), axis=0)", "ValueError"),
            ("jnp.flip(jnp.array(1.0), axis=0)", "ValueError"), ("jnp.roll(jnp.array(1.0), 1, axis=0)", "ValueError"),
            ("jnp.split(jnp.array(1.0), 1)", "ValueError"), ("random.categorical(key, jnp.array(1.0))", "ValueError"),
            ("random.permutation(key, jnp.array(3.0))", "ValueError"), ("random.choice(key, jnp.array(5.0))", "ValueError"),
            ("lax.switch(jnp.nan, [lambda: 0, lambda: 1])", "TypeError"),
            ("random.fold_in(random.split(random.key(0), 0), 1)", "ValueError"),
            ("jnp.tile(jnp.ones(2), (2**32, 2**32))", "Error"), ("jnp.split(jnp.zeros(0), 2**62)", "Error"),
            ("jnp.diag_indices(2**62)", "Error"), ("random.choice(key, 2**62, (2,), replace=False)", "Error"),
        ]
        for (source, kind) in cases {
            let d = interp.run(source, file: "<test>").diagnostics
            XCTAssertEqual(d.count, 1, source)
            XCTAssertTrue(d.first?.message.contains(kind) == true, "\(source): \(d.first?.message ?? "no error")")
        }
        XCTAssertTrue(interp.run("y = x.sum()", file: "<test>").diagnostics.isEmpty, "the session goes on")
        // Still fine: an empty tile, eye with a far diagonal, an exact int64 format under x64.
        XCTAssertTrue(interp.run("t = jnp.tile(jnp.zeros(0), 2**40)\ne = jnp.eye(2, k=2**62)", file: "<test>").diagnostics.isEmpty)
    }
}
