import Tensor
import AD
import TensorIO

extension Interpreter {
    // MARK: - Files (.npy, .npz, .safetensors, .csv)

    func registerFileBuiltins() {
        let t = "files"
        registry.add("load", ["f", "|map_location=None", "|weights_only=None"], topic: t,
                     summary: "read a tensor or a dict of tensors from .npy, .npz, .safetensors, .csv or .txt",
                     doc: """
                     load(path) reads a file by its extension: .npy gives a tensor; .npz and .safetensors give a dict
                     of tensors (a PyTorch state_dict saved with safetensors.torch.save_file keeps its keys, so
                     net.load_state_dict(load("model.safetensors")) loads weights trained in PyTorch); .csv and .txt
                     give a 2-D float32 tensor (a header row is skipped).

                       >>> x = load("sessions/data/batch.npy")
                       >>> net.load_state_dict(load("sessions/data/thread_net.safetensors"))
                     """) { a in
            let path = try a.string("f")
            try self.checkWritable(path)
            switch try TensorFile.load(path: path) {
            case .tensor(let x): return .tensor(.tensor(x))
            case .dict(let pairs): return .dict(DictObject(strings: pairs.map { ($0.0, .tensor(.tensor($0.1))) }))
            }
        }
        registry.add("save", ["obj", "f"], topic: t,
                     summary: "write a tensor (.npy, .csv, .txt) or a dict of tensors (.npz, .safetensors)",
                     doc: "save(value, path) writes by the path's extension, atomically.\n\n  >>> save(J, \"jacobian.npy\")\n  >>> save(net.state_dict(), \"net.safetensors\")") { a in
            let path = try a.string("f")
            let contents: TensorFileContents
            let v = a.value("obj")!
            switch v {
            case .tensor(let h): contents = .tensor(try h.value.requireConcrete("save"))
            case .dict(let d):
                contents = .dict(try d.pairs.map { k, v in
                    guard case .string(let name) = k, case .tensor(let h) = v else {
                        throw a.fail("a dict to save must map names to tensors")
                    }
                    return (name, try h.value.requireConcrete("save"))
                })
            case .module(let m): contents = .dict(try m.stateDict())
            case .none, .bool, .int, .bigInt, .float, .string, .list, .tuple, .set, .function, .type, .instance, .namespace,
                 .slice, .shape, .dtype, .ellipsis:
                throw a.fail("can save a tensor or a dict of tensors, not \(v.pyType.name)")
            }
            try TensorFile.save(contents, path: path)
            return .none
        }
    }
}
