"""A small PyTorch classifier, trained at load time (seeded, full batch) on the iris data.

`resources.use_gpu` in config.yaml decides the device: with it, the network lives on CUDA
(Plinth binds the GPU into the sandbox); without it, on the CPU.
"""
import torch
from sklearn.datasets import load_iris
from torch import nn

SPECIES = ["setosa", "versicolor", "virginica"]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))

    def forward(self, x):
        return self.layers(x)


class Model:
    def __init__(self, **kwargs):
        use_gpu = kwargs["config"].get("resources", {}).get("use_gpu", False)
        self._device = torch.device("cuda" if use_gpu and torch.cuda.is_available() else "cpu")
        self._net = None

    def load(self):
        torch.manual_seed(0)
        torch.set_num_threads(1)
        iris = load_iris()
        x = torch.tensor(iris.data, dtype=torch.float32, device=self._device)
        y = torch.tensor(iris.target, dtype=torch.long, device=self._device)
        net = Net().to(self._device)
        optimiser = torch.optim.Adam(net.parameters(), lr=0.05)
        for _ in range(300):
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(net(x), y)
            loss.backward()
            optimiser.step()
        net.eval()
        self._net = net
        print(f"trained on {len(y)} flowers on {self._device}, final loss {loss.item():.4f}")

    def predict(self, model_input):
        rows = model_input["rows"] if isinstance(model_input, dict) else model_input
        with torch.no_grad():
            x = torch.tensor(rows, dtype=torch.float32, device=self._device)
            probabilities = torch.softmax(self._net(x), dim=1).cpu()
        best = probabilities.max(dim=1)
        return [
            {"species": SPECIES[int(i)], "probability": round(float(p), 4)}
            for p, i in zip(best.values, best.indices)
        ]
