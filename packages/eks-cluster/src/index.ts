// The public API of @piksel/eks-cluster is added here as its constructs land.
export {};
