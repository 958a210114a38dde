import Tensor
import AD
import Printer

extension Interpreter {
    // MARK: - Pictures of matrices

    func registerPictureBuiltins() {
        let t = "pictures"
        registry.add("heatmap", ["input"], topic: t,
                     summary: "draw a matrix (any tensor folded to 2-D) as a signed heat map",
                     doc: "heatmap(T) prints T folded to 2-D ([B, m, B, n] as [B*m, B*n]) with a signed colour scale and the value\nrange; large tensors are downsampled by the largest magnitude per cell. Plain characters when NO_COLOR is\nset or output is not a terminal. :heat EXPR does the same.\n\n  >>> heatmap(jacobian(net, x))     # the block-diagonal structure of a batch Jacobian") { a in
            let x = try a.tensor("input").requireConcrete("heatmap")
            self.output(HeatMap.render(x, color: self.useColor, width: self.pictureWidth) + "\n")
            return .none
        }
        registry.add("spy", ["input"], topic: t,
                     summary: "draw the non-zero pattern of a matrix (any tensor folded to 2-D)",
                     doc: "spy(T) prints where T (folded to 2-D) is non-zero, and how much of it is. :spy EXPR does the same.\n\n  >>> spy(jacobian(net, x))          # B blocks on the diagonal, zeros elsewhere") { a in
            let x = try a.tensor("input").requireConcrete("spy")
            self.output(HeatMap.spy(x, color: self.useColor, width: self.pictureWidth) + "\n")
            return .none
        }
    }
}

extension Interpreter {
    /// The most cells a picture may take across: the terminal's width less the indent and a
    /// margin.
    var pictureWidth: Int { Swift.max(16, terminalColumns() - 4) }
}
