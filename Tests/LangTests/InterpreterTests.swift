import XCTest
@testable import Lang
import Tensor
import AD
import Foundation

/// The evaluator: Python semantics, tensors, transforms through the language, errors.
final class InterpreterTests: XCTestCase {
    var out = ""
    lazy var interp = Interpreter(output: { [unowned self] s in self.out += s }, warn: { _ in })

    /// Runs source; returns what it printed, or fails on an error.
    @discardableResult
    func run(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        out = ""
        let r = interp.run(s, file: "<test>")
        for d in r.diagnostics { XCTFail(d.render(source: s, file: "<test>"), file: file, line: line) }
        return out
    }

    func error(_ s: String) -> Diagnostic? {
        out = ""
        return interp.run(s, file: "<test>").diagnostics.first
    }

    func testPythonValuesAndOperators() {
        XCTAssertEqual(run("1 + 2 * 3"), "7\n")
        XCTAssertEqual(run("7 // 2, -7 // 2, 7 % -3, 2 ** 10, 2 ** -1, 1 / 4"), "(3, -4, -2, 1024, 0.5, 0.25)\n")
        XCTAssertEqual(run("[1, 'a', None, True, 1.5, (2,)]"), "[1, 'a', None, True, 1.5, (2,)]\n")
        XCTAssertEqual(run("{'w': 1}['w']"), "1\n")
        XCTAssertEqual(run("1 < 2 < 3, 1 < 3 < 2"), "(True, False)\n")
        XCTAssertEqual(run("'ab' * 2 + 'c'"), "'ababc'\n")
        XCTAssertEqual(run("[i * i for i in range(5) if i % 2 == 0]"), "[0, 4, 16]\n")
        XCTAssertEqual(run("x = 5\nx += 1\nx"), "6\n")
        XCTAssertEqual(run("a, (b, c), *d = 1, (2, 3), 4, 5\nprint(a, b, c, d)"), "1 2 3 [4, 5]\n")
        XCTAssertEqual(run("1e-5, 0.1 + 0.2, 1e16, 3.0"), "(1e-05, 0.30000000000000004, 1e+16, 3.0)\n")
        XCTAssertEqual(run("3\n_ + 1"), "3\n4\n")
        XCTAssertEqual(run("'%.3f and %d' % (3.14159, 7)"), "'3.142 and 7'\n")
        // As Python's interactive mode: bare expressions in a statement's blocks echo, not in functions.
        XCTAssertEqual(run("for i in range(2):\n    i\ndef g():\n    5\ng()"), "0\n1\n")
    }

    func testFunctionsClosuresAndBlocks() {
        XCTAssertEqual(run("f = lambda x, y=10: x + y\nf(1), f(1, y=2)"), "(11, 3)\n")
        XCTAssertEqual(run("def make(k):\n    return lambda v: v * k\n\nmake(3)(4)"), "12\n")
        XCTAssertEqual(run("def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\n\nfact(5)"), "120\n")
        XCTAssertEqual(run("total = 0\nfor i in range(4):\n    total += i\n\ntotal"), "6\n")
        XCTAssertEqual(run("def f(*args, **kw):\n    return len(args), kw\n\nf(1, 2, a=3)"), "(2, {'a': 3})\n")
    }

    func testTensorsThroughTheLanguage() {
        XCTAssertEqual(run("x = tensor([[1, 2], [3, 4.5]])\nx.shape, x.dtype, x.ndim"), "(torch.Size([2, 2]), torch.float32, 2)\n")
        XCTAssertEqual(run("tensor([1, 2]) * 2"), "tensor([2, 4])\n")
        XCTAssertEqual(run("tensor([1, 2]) / 2"), "tensor([0.5000, 1.0000])\n")
        XCTAssertEqual(run("(x @ x).sum(dim=0)"), "tensor([23.5000, 37.2500])\n")
        XCTAssertEqual(run("x.T[0], x[:, -1], x[1, 0].item()"), "(tensor([1., 3.]), tensor([2.0000, 4.5000]), 3.0)\n")
        XCTAssertEqual(run("zeros(2, 3, dtype=float64).dtype, ones((2,)).shape, eye(2).tolist()"), "(torch.float64, torch.Size([2]), [[1.0, 0.0], [0.0, 1.0]])\n")
        XCTAssertEqual(run("torch.arange(6).reshape(2, -1).permute(1, 0).shape"), "torch.Size([3, 2])\n")
        XCTAssertEqual(run("a = arange(3.)\nwhere(a > 0, a, -1.)"), "tensor([-1.,  1.,  2.])\n")
        XCTAssertEqual(run("stack([a, a], dim=1).shape, cat([a, a]).shape"), "(torch.Size([3, 2]), torch.Size([6]))\n")
        XCTAssertEqual(run("allclose(tensor([1., 2.]), tensor([1., 2.000001])), tensor([1.]).max()"), "(True, tensor(1.))\n")
        XCTAssertEqual(run("len(arange(5)), [t.item() for t in arange(3)]"), "(5, [0, 1, 2])\n")
    }

    func testTransformsThroughTheLanguage() {
        run("import torch\nfrom torch.func import vmap, jacrev, jacfwd\nmanual_seed(0)\nW = randn(3, 4, dtype=float64)\nf = lambda v: tanh(W @ v)")
        XCTAssertEqual(run("x = randn(5, 4, dtype=float64)\nvmap(jacrev(f))(x).shape"), "torch.Size([5, 3, 4])\n")
        XCTAssertEqual(run("allclose(vmap(jacrev(f))(x), vmap(jacfwd(f))(x))"), "True\n")
        XCTAssertEqual(run("functorch.vmap(functorch.jacrev(f))(x).shape"), "torch.Size([5, 3, 4])\n")
        XCTAssertEqual(run("g = grad(lambda v: (v ** 2).sum())\ng(tensor([1., 2.]))"), "tensor([2., 4.])\n")
        XCTAssertEqual(run("hessian(lambda v: (v ** 3).sum())(tensor([1., 2.]))"), "tensor([[ 6.,  0.],\n        [ 0., 12.]])\n")
        XCTAssertEqual(run("out, fn = vjp(lambda v: v * 3, tensor([1., 2.]))\nfn(tensor([1., 1.]))"), "(tensor([3., 3.]),)\n")
        XCTAssertEqual(run("jvp(lambda v: v ** 2, (tensor([3.]),), (tensor([1.]),))"), "(tensor([9.]), tensor([6.]))\n")
        XCTAssertEqual(run("grad(lambda a, b: (a * b).sum(), argnums=(0, 1))(tensor([2.]), tensor([5.]))"), "(tensor([5.]), tensor([2.]))\n")
        XCTAssertEqual(run("grad(lambda p: (p['w'] * 2).sum())({'w': tensor([1., 1.])})"), "{'w': tensor([2., 2.])}\n")
        XCTAssertEqual(run("g, aux = grad(lambda v: ((v * v).sum(), v + 1), has_aux=True)(tensor([1.]))\naux"), "tensor([2.])\n")
        XCTAssertEqual(run("vmap(lambda a, b: a * b, in_dims=(0, None))(ones(3, 2), tensor([1., 2.]))"),
                       "tensor([[1., 2.],\n        [1., 2.],\n        [1., 2.]])\n")
        XCTAssertEqual(run("vmap(lambda v: v.sum(), chunk_size=2)(ones(5, 3))"), "tensor([3., 3., 3., 3., 3.])\n")
        XCTAssertEqual(run("jacrev(lambda v: v * 2, chunk_size=1)(tensor([1., 2.]))"), "tensor([[2., 0.],\n        [0., 2.]])\n")
        XCTAssertEqual(run("lin_out, jfn = linearize(lambda v: v.sin(), tensor([0.]))\njfn(tensor([2.]))"), "tensor([2.])\n")
    }

    func testAutogradFunctionalJacobianAndBatchJacobian() {
        run("manual_seed(1)\nW = randn(3, 4, dtype=float64)\nf = lambda v: tanh(v @ W.T)\nx = randn(5, 4, dtype=float64)")
        XCTAssertEqual(run("J = jacobian(f, x)\nJ.shape"), "torch.Size([5, 3, 5, 4])\n")
        XCTAssertEqual(run("allclose(J, jacrev(f)(x), rtol=0, atol=1e-15), allclose(J, jacobian(f, x, vectorize=True))"), "(True, True)\n")
        XCTAssertEqual(run("allclose(J, jacobian(f, x, strategy='forward-mode'))"), "True\n")
        XCTAssertEqual(run("allclose(batch_jacobian(f, x), vmap(jacrev(f))(x))"), "True\n")
        XCTAssertEqual(run("all([(J[i, :, j] == 0).all().item() for i in range(5) for j in range(5) if i != j])"), "True\n",
                       "off-diagonal blocks are exactly zero")
        XCTAssertEqual(run("torch.autograd.functional.hessian(lambda v: (v ** 3).sum(), tensor([1., 2.]))"),
                       "tensor([[ 6.,  0.],\n        [ 0., 12.]])\n")
    }

    func testModulesThroughTheLanguage() {
        run("import torch\nfrom torch import nn\ntorch.manual_seed(0)\nnet = nn.Sequential(block1=nn.Sequential(nn.Linear(4, 8), nn.Tanh()), head=nn.Linear(8, 2))")
        XCTAssertEqual(run("net.block1[0].weight.shape, len(net), net.head.out_features"), "(torch.Size([8, 4]), 2, 2)\n")
        XCTAssertEqual(run("[k for k, v in net.named_parameters()]"), "['block1.0.weight', 'block1.0.bias', 'head.weight', 'head.bias']\n")
        XCTAssertEqual(run("x = randn(3, 4)\nvmap(jacrev(net))(x).shape"), "torch.Size([3, 2, 4])\n")
        XCTAssertEqual(run("J = jacrev(lambda p: functional_call(net, p, (x,)))(dict(net.named_parameters()))\nJ['head.weight'].shape"), "torch.Size([3, 2, 2, 8])\n")
        XCTAssertEqual(run("allclose(net(x), net.head(net.block1(x)))"), "True\n")
        // PyTorch's way of naming children, and print(net) giving only the tree.
        XCTAssertEqual(run("from collections import OrderedDict\nm = nn.Sequential(OrderedDict([('fc', nn.Linear(2, 2)), ('act', nn.Tanh())]))\nprint(m)"),
                       "Sequential(\n  (fc): Linear(in_features=2, out_features=2, bias=True)\n  (act): Tanh()\n)\n")
        // A bad state dict is refused whole: the module keeps its weights.
        let before = run("net.head.bias")
        XCTAssertNotNil(error("net.load_state_dict({'head.bias': zeros(5)})"))
        XCTAssertEqual(run("net.head.bias"), before)
        XCTAssertEqual(run("net.load_state_dict({'head.bias': zeros(2)}, strict=False)\nnet.head.bias"),
                       "_IncompatibleKeys(missing_keys=['block1.0.weight', 'block1.0.bias', 'head.weight'], unexpected_keys=[])\n"
                       + "Parameter containing:\ntensor([0., 0.], requires_grad=True)\n", "PyTorch's echo of both")
    }

    /// A cached program survives assignments to names it does not read (`J = f(x)` line after
    /// line, issue 17), and is dropped when a name it read is assigned, so results stay right.
    func testOnlyAssigningANameAProgramReadDropsItsCache() {
        run("W = ones(3)\nf = vmap(lambda v: v * W)\nx = randn(2, 3)\nJ = f(x)")
        let cached = interp.stager.cachedCount
        XCTAssertGreaterThan(cached, 0)
        run("J = f(x)\nK = 5\ndel K\nfor i in range(3):\n    J = f(x)\n")
        XCTAssertEqual(interp.stager.cachedCount, cached, "assignments to J, K and i kept f's program")
        run("W = 2 * ones(3)")
        XCTAssertEqual(interp.stager.cachedCount, 0, "assigning W, which f reads, dropped it")
        XCTAssertEqual(run("equal(f(x), x * 2)"), "True\n")
        // A function defined with def reads its globals at call time too.
        run("def g(v):\n    return v * scale\nscale = 3.0\ngg = vmap(g)\ngg(x)")
        run("scale = 4.0")
        XCTAssertEqual(run("equal(gg(x), x * 4)"), "True\n")
    }

    /// The builtins' default values, read at start-up without the parser where they are plain
    /// (`None`, numbers, quoted strings), are the values the language gives the same text.
    func testBuiltinDefaultsAreTheLanguagesValues() throws {
        var checked = 0
        for name in interp.registry.names {
            for p in interp.registry.byName[name]!.signature.parameters {
                guard let text = p.defaultText, let value = p.defaultValue else { continue }
                XCTAssertEqual(interp.repr(value), interp.repr(try interp.evaluateSource(text)), "\(name)(\(p.name)=\(text))")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 200)
    }

    func testFilesRoundTripThroughTheLanguage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jacobi-lang-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        run("manual_seed(3)\nnet = mlp(3, 5, 2)\nx = randn(4, 3, dtype=float64)")
        run("save(x, '\(dir)/x.npy')\nsave(net.state_dict(), '\(dir)/net.safetensors')\nsave({'a': x, 'b': x * 2}, '\(dir)/ab.npz')")
        XCTAssertEqual(run("equal(load('\(dir)/x.npy'), x), load('\(dir)/x.npy').dtype"), "(True, torch.float64)\n")
        XCTAssertEqual(run("other = mlp(3, 5, 2)\nother.load_state_dict(load('\(dir)/net.safetensors'))\nallclose(other(x.float()), net(x.float()))"),
                       "<All keys matched successfully>\nTrue\n")
        XCTAssertEqual(run("d = load('\(dir)/ab.npz')\nlist(d.keys()), equal(d['b'], x * 2)"), "(['a', 'b'], True)\n")
        XCTAssertTrue(error("load('\(dir)/missing.npy')")?.message.contains("No such file or directory") == true)
        // .pt is torch.load's: a missing checkpoint is a missing file.
        XCTAssertTrue(error("load('\(dir)/x.pt')")?.message.contains("No such file or directory") == true)
        run("torch.save({'net': net.state_dict(), 'x': x, 'step': 3}, '\(dir)/ckpt.pt')")
        XCTAssertEqual(run("c = torch.load('\(dir)/ckpt.pt')\nc['step'], equal(c['x'], x), type(c['net']).__name__"), "(3, True, 'OrderedDict')\n")
    }

    func testMemoryGuardRefusesATerabyteJacobianQuicklyAndChunksVmap() {
        run("manual_seed(0)\nnet = mlp(512, 512)\nx = randn(1024, 512)")
        let d = error("jacobian(net, x, vectorize=True)")   // [1024, 512, 1024, 512] float32 = 1.1 TB
        XCTAssertTrue(d?.message.contains("would need 1.1 TB") == true, d?.message ?? "no error")
        XCTAssertTrue(d?.hint?.contains("vmap(jacrev(f))(x)") == true, d?.hint ?? "")
        XCTAssertNotNil(error("jacobian(net, x)"), "the looped form is refused too")
        // A vmap over the limit runs in chunks, with the same result.
        var warnings: [String] = []
        interp.warn = { warnings.append($0) }
        run("small = mlp(8, 64, 64, 8)\nxb = randn(64, 8, dtype=float64)\nsmall.double()\nJ = vmap(jacrev(small))(xb)")
        interp.memoryLimit = 400_000
        XCTAssertEqual(run("allclose(vmap(jacrev(small))(xb), J, rtol=1e-12, atol=1e-14)"), "True\n")
        XCTAssertTrue(warnings.contains { $0.contains("in chunks of") }, "\(warnings)")
    }

    func testEinsumDiagonalAndNorms() {
        run("manual_seed(2)\nA = randn(3, 4, dtype=float64)\nB = randn(4, 2, dtype=float64)\nC = randn(2, 3, 4, dtype=float64)")
        XCTAssertEqual(run("allclose(einsum('ij,jk->ik', A, B), A @ B), allclose(einsum('ij->ji', A), A.T)"), "(True, True)\n")
        XCTAssertEqual(run("allclose(einsum('bij,jk->bik', C, B), C @ B), allclose(einsum('ij,ij->', A, A), (A * A).sum())"), "(True, True)\n")
        XCTAssertEqual(run("einsum('ii', eye(3) * 2), diagonal(arange(9.).reshape(3, 3), offset=-1)"), "(tensor(6.), tensor([3., 7.]))\n")
        XCTAssertEqual(run("diag_embed(tensor([1., 2.]))"), "tensor([[1., 0.],\n        [0., 2.]])\n")
        XCTAssertEqual(run("norm(tensor([3., 4.])), torch.linalg.norm(tensor([1., -2.]), ord=1), torch.linalg.norm(tensor([[1., -2.]]), ord=1)"), "(tensor(5.), tensor(3.), tensor(2.))\n", "a matrix with ord is a matrix norm, as torch.linalg.norm")
        // Differentiable and batchable, as composites of primitives.
        XCTAssertEqual(run("gradcheck(lambda m: einsum('ii->', m * m) + diagonal(m, 1).sum() + diag_embed(m[0]).sum(), (randn(3, 3, dtype=float64),))"), "True\n")
        XCTAssertEqual(run("allclose(vmap(lambda m: einsum('ij,jk->ik', m, B))(C[:, :, :]), C @ B)"), "True\n")
        XCTAssertNotNil(error("einsum('ij,jk->ik', A, A)"), "mismatched sizes are an error")
    }

    func testLinearAlgebraBuiltinsAndTheirWarnings() {
        var warnings: [String] = []
        interp.warn = { warnings.append($0) }
        run("manual_seed(3)\nA = randn(4, 4, dtype=float64) + 3 * eye(4, dtype=float64)\nR = randn(5, 3, dtype=float64)")
        // torch.linalg names, shapes and identities (values against PyTorch: ADTests' linalg fixtures).
        XCTAssertEqual(run("allclose(A @ inv(A), eye(4, dtype=float64)), allclose(torch.linalg.inv(A), A.inverse())"), "(True, True)\n")
        XCTAssertEqual(run("s, l = slogdet(A)\nallclose(s * l.exp(), det(A)), allclose(A.det(), torch.det(A))"), "(True, True)\n")
        XCTAssertEqual(run("U, S, Vh = torch.linalg.svd(R, full_matrices=False)\nU.shape, S.shape, Vh.shape, allclose(U @ diag_embed(S) @ Vh, R)"),
                       "(torch.Size([5, 3]), torch.Size([3]), torch.Size([3, 3]), True)\n")
        XCTAssertEqual(run("torch.linalg.svd(R)[0].shape, allclose(svdvals(R), S)"), "(torch.Size([5, 5]), True)\n")
        XCTAssertEqual(run("allclose(pinverse(R), pinv(R)), allclose(R @ pinv(R) @ R, R), matrix_rank(R)"), "(True, True, tensor(3))\n")
        XCTAssertEqual(run("b = randn(4, dtype=float64)\nallclose(A @ solve(A, b), b), solve(A, randn(3, 4, 2, dtype=float64)).shape"),
                       "(True, torch.Size([3, 4, 2]))\n")
        XCTAssertEqual(run("allclose(cond(A), torch.linalg.norm(A, 2) * torch.linalg.norm(inv(A), 2)), allclose(norm(A, 'nuc'), svdvals(A).sum())"), "(True, True)\n")
        XCTAssertEqual(run("allclose(matrix_norm(A, ord=float('inf')), A.abs().sum(-1).max()), allclose(vector_norm(A, ord=3), (A.abs() ** 3).sum() ** (1/3))"),
                       "(True, True)\n")
        XCTAssertEqual(run("gradcheck(lambda a, b: solve(a, b).sum() + det(a) + pinv(a).sum(), (A, randn(4, 2, dtype=float64)))"), "True\n")
        XCTAssertTrue(warnings.isEmpty, "no warnings for well-conditioned matrices: \(warnings)")

        // A batch with a singular and a NaN element: warnings name them, the result stays, the session goes on.
        run("X = stack([A, zeros(4, 4, dtype=float64), A * float('nan')])\nXi = inv(X)")
        XCTAssertEqual(warnings.count, 2, "\(warnings)")
        XCTAssertTrue(warnings.contains { $0.hasPrefix("inv: batch element 1 of 3 is singular") }, "\(warnings)")
        XCTAssertTrue(warnings.contains { $0.hasPrefix("inv: batch element 2 of 3 holds NaN or Inf") }, "\(warnings)")
        XCTAssertEqual(run("Xi.shape, isnan(Xi).flatten(1).all(dim=1)"), "(torch.Size([3, 4, 4]), tensor([False,  True,  True]))\n")
        warnings = []
        run("P = pinv(stack([R, zeros(5, 3, dtype=float64)]))")
        XCTAssertEqual(warnings, ["pinverse: batch element 1 of 2 is rank-deficient (rank 0 of 3): singular values at or below the cut-off were dropped"])

        XCTAssertTrue(error("inv(randn(3, 4))")?.message.contains("square") == true)
        XCTAssertTrue(error("torch.linalg.norm(A, 'nuc', dim=0)")?.message.contains("not a vector norm") == true)
        XCTAssertNotNil(error("jacrev(lambda a: torch.linalg.svd(a)[0])(A)")?.hint)
    }

    func testGradcheck() {
        XCTAssertEqual(run("gradcheck(lambda a, b: (a * b).sin().sum(), (randn(3, dtype=float64), randn(3, dtype=float64)))"), "True\n")
        let d = error("gradcheck(lambda v: v.detach() * v, (tensor([1.0, 2.0], dtype=float64),))")
        XCTAssertTrue(d?.message.contains("input index (1,): analytic 2.0, numeric 4.0000") == true, d?.message ?? "no error")
        XCTAssertTrue(run("gradcheck(lambda v: v.detach() * v, (tensor([1.0, 2.0], dtype=float64),), raise_exception=False)").hasSuffix("False\n"))
    }

    func testTraceCacheAndInvalidation() {
        run("k = tensor([2.])\nJ = jacrev(lambda v: v * k)")
        XCTAssertEqual(run("J(tensor([1.]))"), "tensor([[2.]])\n")
        XCTAssertEqual(run("J(tensor([5.]))"), "tensor([[2.]])\n")
        XCTAssertTrue(interp.stager.last?.cacheHit == true, "second call reuses the traced program")
        XCTAssertEqual(run("k = tensor([3.])\nJ(tensor([1.]))"), "tensor([[3.]])\n", "rebinding a captured variable drops the cache")
    }

    func testErrors() {
        XCTAssertEqual(error("jacref")?.hint, "did you mean 'jacrev'?")
        XCTAssertEqual(error("ones(2, 3) @ ones(2, 3)")?.message, "RuntimeError: mm: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)")
        XCTAssertTrue(error("sum(ones(2), dimm=0)")?.message.contains("unexpected keyword argument 'dimm'") == true)
        XCTAssertTrue(error("grad(lambda v: v)(ones(2))")?.message.contains("must return one scalar") == true)
        XCTAssertTrue(error("jacrev(lambda v: 1.0)(ones(2))")?.message.contains("must return a tensor") == true)
        XCTAssertTrue(error("if ones(2): pass")?.message.contains("ambiguous") == true)
        XCTAssertTrue(error("jacrev(lambda v: v if v.sum() > 0 else -v)(ones(2))")?.message.contains("traced") == true)
        XCTAssertTrue(error("vmap(lambda a, b: a + b)(ones(2, 3), ones(4, 3))")?.message.contains("same size in the mapped dimension") == true)
        let d = error("x = 1\ny = x + 'a'")
        XCTAssertEqual(d?.range?.start.line, 2)
        XCTAssertEqual(run("x"), "1\n", "variables survive an error")
    }

    /// An error raised inside the string of `eval`, `exec` or `Timer(stmt)` is shown in that
    /// string, at its place there, not at the same line and column of the file being run; an error
    /// in a function defined in the string shows the string too, and one at the call site of a
    /// function the file.
    func testErrorsInsideStringsPointIntoTheString() {
        let file = "import torch\nx = torch.ones(3)\nexec('y = 1\\nz = torch.nothing(x)')"
        let d = error(file)
        XCTAssertTrue(d?.message.contains("has no attribute 'nothing'") == true, d?.message ?? "no error")
        XCTAssertEqual(d?.source?.file, "<string>")
        XCTAssertEqual(d?.range?.start.line, 2)
        XCTAssertEqual(d?.range?.start.column, 5)
        XCTAssertTrue(d?.render(source: file, file: "<test>").contains("<string>:2:5: error: AttributeError") == true)
        XCTAssertTrue(d?.render(source: file, file: "<test>").contains("z = torch.nothing(x)\n    ^") == true,
                      d?.render(source: file, file: "<test>") ?? "")
        let e = error("import torch\nx = torch.ones(3)\neval('torch.nothing(x)')")
        XCTAssertEqual(e?.source?.file, "<string>")
        XCTAssertEqual(e?.range?.start.column, 1)
        let t = error("import torch\nfrom torch.utils.benchmark import Timer\nTimer('torch.addmmm(1)').timeit(1)")
        XCTAssertEqual(t?.source?.file, "<timeit-src>")
        // The file's own errors keep the file's text.
        let f = error("import torch\ntorch.nothing")
        XCTAssertTrue(f?.source == nil || f?.source?.file == "<test>")
        XCTAssertEqual(f?.range?.start.line, 2)
    }

    /// Deep recursion raises RecursionError at the limit, and with the limit raised past what the
    /// thread's native stack holds, before the stack runs out; the interpreter goes on afterwards.
    func testRecursionStopsBeforeTheNativeStackEnds() {
        run("import sys\ndef depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)")
        XCTAssertEqual(run("depth(50)"), "50\n")
        XCTAssertEqual(run("sys.setrecursionlimit(40)\ntry:\n    depth(50)\nexcept RecursionError as e:\n    print(e)"),
                       "maximum recursion depth exceeded\n")
        let native = error("sys.setrecursionlimit(10**8)\ndepth(10**7)")
        XCTAssertTrue(native?.message.contains("RecursionError: maximum recursion depth exceeded (the native stack is used up") == true,
                      native?.message ?? "no error")
        XCTAssertEqual(run("sys.setrecursionlimit(1000)\ndepth(20)"), "20\n")
    }

    /// Cached transformed functions see in-place writes: parameters updated by a training step
    /// (read afresh as program inputs) and plain tensors written in place (the cache is dropped).
    func testCachedTransformsSeeInPlaceWrites() {
        run("import torch\nfrom torch.func import jacrev\ntorch.manual_seed(0)\nnet = torch.nn.Linear(3, 2)\nx = torch.randn(3)\nJ = jacrev(net)")
        for _ in 0..<3 {
            run("with torch.no_grad():\n    for p in net.parameters():\n        p -= 0.1 * torch.ones_like(p)")
            XCTAssertEqual(run("torch.equal(J(x), net.weight.detach())"), "True\n")
        }
        run("W = torch.ones(2, 3)\nf = jacrev(lambda v: W @ v)\nf(x)")
        run("W[0, 0] = 5.0")
        XCTAssertEqual(run("f(x)[0, 0].item()"), "5.0\n")
        run("W.mul_(2)")
        XCTAssertEqual(run("f(x)[0, 0].item()"), "10.0\n")
    }

    /// In-place writes inside a transformed function are functional updates of the trace, into
    /// tensors the function made; writing into an outer tensor is refused with a clear error.
    func testInPlaceWritesInsideTransforms() {
        run("import torch\nfrom torch.func import jacrev, vmap\ndef f(x):\n    y = torch.zeros(3)\n    y[0] = x[0] * 2\n    y[1:] += x[1:] ** 2\n    return y")
        XCTAssertEqual(run("print(jacrev(f)(torch.tensor([1.0, 2.0, 3.0])))"),
                       "tensor([[2., 0., 0.],\n        [0., 4., 0.],\n        [0., 0., 6.]])\n")
        XCTAssertEqual(run("print(vmap(f)(torch.ones(2, 3)))"), "tensor([[2., 1., 1.],\n        [2., 1., 1.]])\n")
        run("outer = torch.zeros(3)\ndef g(x):\n    outer[0] = x[0]\n    return x")
        XCTAssertTrue(error("jacrev(g)(torch.ones(3))")?.message.contains("made outside it") == true)
        XCTAssertEqual(run("print(outer)"), "tensor([0., 0., 0.])\n")
    }
}
