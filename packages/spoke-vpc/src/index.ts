// The public API of @piksel/spoke-vpc is added here as its constructs land.
export {};
