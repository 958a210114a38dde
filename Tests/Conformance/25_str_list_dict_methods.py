import torch

line = "  epoch=3, loss=0.25, acc=0.91  "
print(repr(line.strip()), repr(line.lstrip()), repr(line.rstrip()))
fields = line.strip().split(", ")
print(fields)
pairs = dict(f.split("=") for f in fields)
print(pairs)
print("-".join(["a", "b", "c"]), "".join(reversed("torch")))
print("Hello World".upper(), "Hello World".lower(), "Hello".upper().lower())
print("fc1.weight".replace(".", "_"), "a,b,,c".split(","), "a b  c".split(), "k:v:w".split(":", 1))
print("fc1.weight".startswith("fc"), "fc1.weight".endswith((".bias", ".weight")))
print("banana".find("an"), "banana".find("x"), "banana".find("an", 2), "banana".count("a"), "banana".index("n"))
print("ab".ljust(5, ".") + "|", "ab".rjust(5) + "|", "ab".center(6, "*"), "7".zfill(3), "-7".zfill(4))
print("{}-{}".format("x", 1), "{:>6}".format("r"), "v{0}.{1}".format(2, 15))
print("line1\nline2\n".strip().split("\n"), "x" * 3, "ab" + "cd", "a-b-c".count("-"))
print("layer" in "layer1.weight", "Weight".lower() == "weight", "abc"[::-1], "abcdef"[1:4])
print(len("héllo"), "%".join("abc"), "pre_name".replace("pre_", "", 1), "a.b.c".split(".", 1))

layers = [64, 32]
layers.append(16)
layers.extend([8, 4])
layers.insert(0, 128)
print(layers, len(layers))
print(layers.pop(), layers.pop(0), layers)
layers.remove(32)
print(layers, layers.index(16), layers.count(8))
scores = [3, 1, 4, 1, 5, 9, 2, 6]
print(sorted(scores), sorted(scores, reverse=True), scores)
scores.sort()
print(scores)
names = ["fc2.bias", "fc1.weight", "norm", "fc1.bias"]
names.sort(key=len)
print(names)
names.sort(key=lambda s: (s.split(".")[0], s), reverse=True)
print(names)
names.reverse()
backup = names.copy()
backup.append("extra")
print(names, backup)
print([1, 2] + [3], [0] * 3, [1, 2, 3][::-1], [[0] * 2 for _ in range(2)])
print(min(scores), max(scores), sum(scores), scores[-3:], 9 in scores)

cfg = {"lr": 0.1, "epochs": 10}
cfg.update({"momentum": 0.9}, batch=32)
print(cfg)
print(list(cfg.keys()), list(cfg.values()), list(cfg.items())[:2])
print(cfg.get("lr"), cfg.get("wd"), cfg.get("wd", 0.0))
print(cfg.pop("batch"), cfg.pop("missing", "default"), cfg)
print(cfg.setdefault("wd", 1e-4), cfg.setdefault("lr", 99), len(cfg))
clone = cfg.copy()
clone["lr"] = 0.5
print(cfg["lr"], clone["lr"], "lr" in cfg, "xyz" not in cfg)
merged = {**cfg, "lr": 1.0}
print(merged, dict(zip("abc", range(3))), dict(a=1, b=2))
del merged["wd"]
print(merged, {k: v for k, v in sorted(merged.items())})

stats = {"w": torch.ones(2), "b": torch.zeros(1)}
print(stats)
print([torch.arange(2), torch.arange(3.0)], (torch.tensor(1), torch.tensor([2.5])))
print({"nested": [torch.eye(2)]})
