// The public API of @piksel/network-hub is added here as its constructs land.
export {};
