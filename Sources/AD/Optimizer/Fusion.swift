import Tensor
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Elementwise fusion: the last pass before evaluation. Chains of elementwise equations
/// (`unary`, `binary`, `compare`, `select` on float32/float64 values of one shape) become one
/// `FusedLoop`, evaluated in one pass a tile at a time, so that their intermediate results are
/// never written to memory. Reshapes that only add or drop dimensions of size 1 are looked
/// through, so the broadcasting reshapes that `vmap` inserts do not split a chain.
///
/// The program itself is not changed (the primitive set stays closed and every transformation
/// sees the same equations); the pass produces an `ExecutionPlan`, what the `Evaluator` runs.
///
/// ```swift
/// let plan = ExecutionPlan(try program.optimized())   // fused unless Fusion.isEnabled is false
/// var ev = Evaluator()
/// let outs = try ev.run(plan, inputs)
/// ```
public enum Fusion {
    private static let enabled = Atomic<Bool>(getenv("JACOBI_FUSION").map { String(cString: $0) } != "0")

    /// Whether new plans fuse (on unless the environment sets `JACOBI_FUSION=0`; `:set fusion off`
    /// turns it off, to compare).
    public static var isEnabled: Bool {
        get { enabled.load(ordering: .relaxed) }
        set { enabled.store(newValue, ordering: .relaxed) }
    }
}

/// A program and the order in which to evaluate it: single equations, and fused loops that each
/// replace a chain of elementwise equations (see `Fusion`).
public struct ExecutionPlan: Sendable {
    /// One step of the plan.
    public enum Step: Sendable {
        /// The program's equation with this index.
        case equation(Int)
        /// A fused loop: reads `inputs`, writes `outputs` (each reshaped to its variable's type),
        /// and replaces the equations `members`.
        case fused(FusedLoop, inputs: [Var], outputs: [Var], members: [Int])
    }

    /// The program the plan evaluates.
    public let program: Program
    /// The steps, in evaluation order.
    public let steps: [Step]
    /// Whether the plan was made with fusion on.
    public let isFused: Bool

    /// Plans `program`, fusing elementwise chains when `fusing` is true.
    public init(_ program: Program, fusing: Bool = Fusion.isEnabled) {
        self.program = program
        isFused = fusing
        steps = fusing ? FusionPlanner(program).steps() : program.equations.indices.map { .equation($0) }
        usesHelperThread = steps.contains { step in
            switch step {
            case .equation(let k):
                guard case .dotGeneral = program.equations[k].primitive else { return false }
                return HelperThread.mayTakeProduct(flops: Cost.flops(program.equations[k], program))
            case .fused(let loop, _, _, _):
                return HelperThread.takesLoop(elements: loop.shape.elementCount)
            }
        }
    }

    /// Whether a step may run on the helper thread of the small products and fused loops: the
    /// evaluator wakes it when the run starts (`HelperThread.prewake`).
    public let usesHelperThread: Bool

    /// The number of fused loops.
    public var fusedLoopCount: Int {
        steps.reduce(0) { if case .fused = $1 { return $0 + 1 }; return $0 }
    }

    /// The number of equations that run inside fused loops.
    public var fusedEquationCount: Int {
        steps.reduce(0) { if case .fused(_, _, _, let m) = $1 { return $0 + m.count }; return $0 }
    }
}

/// Groups a program's elementwise equations into fused loops (see `Fusion`).
private struct FusionPlanner {
    let program: Program
    let equations: [Equation]
    /// Each variable, or for the output of a reshape that only adds or drops size-1 dimensions,
    /// the variable it reshapes (followed to the start of such chains).
    var root: [Int]
    /// Whether equation `i` is such a reshape.
    var isUnitReshape: [Bool]
    /// The variable each such reshape's output reshapes.
    var reshapeSource: [Int: Int] = [:]

    /// A group of equations that can become one loop: one iteration shape and float type.
    struct Group {
        var shape: [Int]
        var dtype: DType
        var members: [Int] = []
        /// False once an equation outside the group reads one of its values: later equations may
        /// no longer join, since the loop runs at the position of its last member. Two open groups
        /// of one shape that an equation reads both are merged into one.
        var open = true
    }

    init(_ program: Program) {
        self.program = program
        equations = program.equations
        root = Array(program.types.indices)
        isUnitReshape = Array(repeating: false, count: program.equations.count)
        for (i, e) in equations.enumerated() {
            guard case .reshape(let s) = e.primitive else { continue }
            if squeezed(program.type(of: e.inputs[0]).shape) == squeezed(s) {
                isUnitReshape[i] = true
                reshapeSource[e.outputs[0].id] = e.inputs[0].id
                root[e.outputs[0].id] = root[e.inputs[0].id]
            }
        }
    }

    /// The shape without its dimensions of size 1.
    func squeezed(_ s: Shape) -> [Int] { s.dims.filter { $0 != 1 } }

    /// The iteration shape and float type of an equation that can be fused, or nil.
    func fusionKey(_ e: Equation) -> ([Int], DType)? {
        let out = program.type(of: e.outputs[0])
        guard out.shape.elementCount > 0 else { return nil }
        let operandType: DType
        switch e.primitive {
        case .unary(let op):
            guard op != .not else { return nil }
            operandType = out.dtype
        case .binary(let op):
            switch op {
            case .and, .or, .xor: return nil
            case .add, .sub, .mul, .div, .pow, .max, .min, .remainder: operandType = out.dtype
            }
        case .compare: operandType = program.type(of: e.inputs[0]).dtype
        case .select: operandType = out.dtype
        case .convert, .stopGradient, .broadcast, .reshape, .transpose, .slice, .pad, .concatenate, .reduce,
             .argReduce, .dotGeneral, .identity, .linalg:
            return nil
        }
        guard operandType == .float32 || operandType == .float64 else { return nil }
        return (squeezed(out.shape), operandType)
    }

    /// The plan's steps.
    func steps() -> [ExecutionPlan.Step] {
        var groups: [Group] = []
        var groupOf = [Int](repeating: -1, count: equations.count)
        var producedBy = [Int](repeating: -1, count: program.types.count)   // root variable -> group
        for (i, e) in equations.enumerated() where !isUnitReshape[i] {
            let roots = e.inputs.map { root[$0.id] }
            var chosen = -1
            if let (shape, dtype) = fusionKey(e) {
                for r in roots where producedBy[r] >= 0 {
                    let g = producedBy[r]
                    guard groups[g].open && groups[g].shape == shape && groups[g].dtype == dtype && g != chosen else { continue }
                    if chosen < 0 { chosen = g; continue }
                    // A second open group this equation reads: nothing outside either group has
                    // read their values (nor has either read the other's), so both run as one
                    // loop at this equation, the later group's position.
                    let (into, from) = (min(chosen, g), max(chosen, g))
                    for m in groups[from].members {
                        groupOf[m] = into
                        for o in equations[m].outputs { producedBy[o.id] = into }
                    }
                    groups[into].members = (groups[into].members + groups[from].members).sorted()
                    groups[from].members = []
                    groups[from].open = false
                    chosen = into
                }
                if chosen < 0 {
                    chosen = groups.count
                    groups.append(Group(shape: shape, dtype: dtype))
                }
                groups[chosen].members.append(i)
                groupOf[i] = chosen
            }
            for r in roots where producedBy[r] >= 0 && producedBy[r] != chosen { groups[producedBy[r]].open = false }
            if chosen >= 0 { for o in e.outputs { producedBy[o.id] = chosen } }
        }
        // A loop of one equation saves nothing: it stays an equation.
        for (g, group) in groups.enumerated() where group.members.count < 2 {
            for i in group.members {
                groupOf[i] = -1
                for o in equations[i].outputs { producedBy[o.id] = -1 }
            }
            groups[g].members = []
        }

        // Which values of a group are read outside it (they are written out), and which unit
        // reshapes of them are (they run after the loop; the others are dropped).
        var needed = [Bool](repeating: false, count: program.types.count)
        func markRead(_ v: Var) {
            var w = v.id
            needed[w] = true
            while let r = reshapeSource[w] { w = r; needed[w] = true }
        }
        for (i, e) in equations.enumerated() {
            if isUnitReshape[i] && producedBy[root[e.inputs[0].id]] >= 0 { continue }
            for v in e.inputs where producedBy[root[v.id]] >= 0 && producedBy[root[v.id]] != groupOf[i] { markRead(v) }
        }
        for v in program.outputs where producedBy[root[v.id]] >= 0 { markRead(v) }

        var steps: [ExecutionPlan.Step] = []
        var deferred = [[Int]](repeating: [], count: groups.count)
        var emitted = [Bool](repeating: false, count: groups.count)
        for (i, e) in equations.enumerated() {
            if groupOf[i] >= 0 {
                let g = groupOf[i]
                if i == groups[g].members.last {
                    steps.append(loop(groups[g], producedBy: producedBy, group: g, needed: needed))
                    emitted[g] = true
                    steps += deferred[g].map { .equation($0) }
                }
                continue
            }
            if isUnitReshape[i], case let g = producedBy[root[e.inputs[0].id]], g >= 0 {
                guard needed[e.outputs[0].id] else { continue }
                if emitted[g] { steps.append(.equation(i)) } else { deferred[g].append(i) }
                continue
            }
            steps.append(.equation(i))
        }
        return steps
    }

    /// An outside value as a loop reads it: the same variable can be read broadcast two ways.
    struct InputKey: Hashable {
        let variable: Int
        let shape: [Int]
    }

    /// The fused loop of a group.
    func loop(_ group: Group, producedBy: [Int], group g: Int, needed: [Bool]) -> ExecutionPlan.Step {
        let loopShape = Shape(group.shape)
        var instructions: [FusedLoop.Instruction] = []
        var register: [Int: Int] = [:]   // root variable of a member -> register
        var inputs: [Var] = [], inputShapes: [Shape] = []
        var inputRegister: [InputKey: Int] = [:]
        var outputs: [Int] = [], outputVars: [Var] = []
        for i in group.members {
            let e = equations[i]
            let resultShape = program.type(of: e.outputs[0]).shape
            let operands: [Int] = e.inputs.map { v in
                if producedBy[root[v.id]] == g, let r = register[root[v.id]] { return r }
                // An outside value, broadcast against this equation's shape and laid on the loop's.
                let own = program.type(of: v).shape
                let padded = [Int](repeating: 1, count: resultShape.rank - own.rank) + own.dims
                let laid = Shape(zip(padded, resultShape.dims).filter { $0.1 != 1 }.map(\.0))
                let key = InputKey(variable: v.id, shape: laid.dims)
                if let r = inputRegister[key] { return r }
                inputs.append(v)
                inputShapes.append(laid)
                instructions.append(.input(inputs.count - 1))
                inputRegister[key] = instructions.count - 1
                return instructions.count - 1
            }
            switch e.primitive {
            case .unary(let op): instructions.append(.unary(op, operands[0]))
            case .binary(let op): instructions.append(.binary(op, operands[0], operands[1]))
            case .compare(let op): instructions.append(.compare(op, operands[0], operands[1]))
            case .select: instructions.append(.select(operands[0], operands[1], operands[2]))
            case .convert, .stopGradient, .broadcast, .reshape, .transpose, .slice, .pad, .concatenate, .reduce,
                 .argReduce, .dotGeneral, .identity, .linalg:
                preconditionFailure("only elementwise equations are grouped")
            }
            let out = e.outputs[0]
            register[out.id] = instructions.count - 1
            if needed[out.id] {
                outputs.append(instructions.count - 1)
                outputVars.append(out)
            }
        }
        let fused = FusedLoop(shape: loopShape, dtype: group.dtype, inputShapes: inputShapes,
                              instructions: instructions, outputs: outputs)
        return .fused(fused, inputs: inputs, outputs: outputVars, members: group.members)
    }
}
