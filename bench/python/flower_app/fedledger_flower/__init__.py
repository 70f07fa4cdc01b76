"""The flower-deployed bench's Flower App (ServerApp and ClientApp)."""
