import Tensor
import AD
import TensorIO

extension Interpreter {
    // MARK: - Files (.npy, .npz, .safetensors, .csv)

    func registerFileBuiltins() {
        let t = "files"
        registry.add("load", ["f", "|map_location=None", "|weights_only=None", "|mmap=None"], topic: t,
                     summary: "read a PyTorch checkpoint (.pt, torch.load), or tensors from .npy, .npz, .safetensors, .csv, .txt",
                     doc: """
                     load(path) is torch.load for PyTorch checkpoints (.pt, .pth, .bin, any extension but the ones below):
                     tensors (every dtype, views and shared storages kept), nn.Parameters, state dicts (OrderedDict) and
                     dict/list/tuple/str/int/float/bool/None containers, read by a restricted unpickler that refuses any
                     other global by name (weights_only=True; weights_only=False is refused). GPU storages load onto the CPU;
                     map_location= and mmap= are accepted (everything is read into memory on the CPU).
                     Otherwise it reads a file by its extension: .npy gives a tensor; .npz and .safetensors give a dict
                     of tensors (a PyTorch state_dict saved with safetensors.torch.save_file keeps its keys, so
                     net.load_state_dict(load("model.safetensors")) loads weights trained in PyTorch); .csv and .txt
                     give a 2-D float32 tensor (a header row is skipped).

                       >>> net.load_state_dict(torch.load("sessions/data/thread_net.pt"))
                       >>> x = load("sessions/data/batch.npy")
                       >>> net.load_state_dict(load("sessions/data/thread_net.safetensors"))
                     """) { a in
            let path = try a.string("f")
            try self.checkWritable(path)
            if Self.isCheckpointPath(path) { return try self.loadCheckpoint(path, weightsOnly: a.value("weights_only")) }
            switch try TensorFile.load(path: path) {
            case .tensor(let x): return .tensor(.tensor(x))
            case .dict(let pairs): return .dict(DictObject(strings: pairs.map { ($0.0, .tensor(.tensor($0.1))) }))
            }
        }
        registry.add("save", ["obj", "f"], topic: t,
                     summary: "torch.save a checkpoint (.pt), or write a tensor (.npy, .csv, .txt) or dict of tensors (.npz, .safetensors)",
                     doc: "save(value, path) writes by the path's extension, atomically: .pt (and any extension but .npy, .npz, .safetensors, .csv, .txt)\nas torch.save does, readable by PyTorch's torch.load(weights_only=True): tensors, state dicts, modules (their state dict)\nand containers of them.\n\n  >>> torch.save(net.state_dict(), \"net.pt\")\n  >>> save(J, \"jacobian.npy\")\n  >>> save(net.state_dict(), \"net.safetensors\")") { a in
            let path = try a.string("f")
            let v = a.value("obj")!
            if Self.isCheckpointPath(path) {
                try self.checkWritable(path)
                try self.saveCheckpoint(v, path)
                return .none
            }
            let contents: TensorFileContents
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
