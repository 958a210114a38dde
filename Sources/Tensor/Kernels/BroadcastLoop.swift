/// Iteration over the elements of a broadcast result: for every output row (last dimension),
/// the offsets of each operand's row and each operand's stride along that row (0 or 1).
///
/// This is the one loop shared by every elementwise kernel that broadcasts.
struct BroadcastLoop {
    let outShape: [Int]
    /// Per operand, its strides laid against `outShape` (0 where it is broadcast).
    let strides: [[Int]]

    init(outShape: Shape, operands: [Shape]) {
        self.outShape = outShape.dims
        let n = outShape.rank
        strides = operands.map { s in
            let own = s.strides
            var st = [Int](repeating: 0, count: n)
            for i in 0..<s.rank {
                let o = i + n - s.rank
                st[o] = s[i] == 1 && outShape[o] != 1 ? 0 : own[i]
            }
            return st
        }
    }

    /// Calls `body(outOffset, operandOffsets, innerCount, innerStrides)` once per output row.
    /// The offsets live in memory the loop owns and are valid only during the call.
    func forEachRow(_ body: (Int, UnsafePointer<Int>, Int, [Int]) -> Void) {
        let n = outShape.count
        let k = strides.count
        // Offsets and the odometer in memory the loop owns: arrays would be checked for
        // uniqueness at every row.
        let offsets = UnsafeMutablePointer<Int>.allocate(capacity: k)
        offsets.initialize(repeating: 0, count: k)
        defer { offsets.deallocate() }
        if n == 0 {
            body(0, offsets, 1, strides.map { _ in 0 })
            return
        }
        let inner = outShape[n - 1]
        let innerStrides = strides.map { $0[n - 1] }
        let rows = outShape.dropLast().reduce(1, *)
        if inner == 0 || rows == 0 { return }
        let index = UnsafeMutablePointer<Int>.allocate(capacity: n)
        index.initialize(repeating: 0, count: n)
        defer { index.deallocate() }
        for row in 0..<rows {
            body(row * inner, offsets, inner, innerStrides)
            // advance the odometer over the outer dimensions
            var d = n - 2
            while d >= 0 {
                index[d] += 1
                for i in 0..<k { offsets[i] += strides[i][d] }
                if index[d] < outShape[d] { break }
                for i in 0..<k { offsets[i] -= strides[i][d] * outShape[d] }
                index[d] = 0
                d -= 1
            }
        }
    }
}
