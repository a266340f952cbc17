package dev.vse.detect;

class InMemoryStateStoreTest extends StateStoreContract {
    @Override
    StateStore newStore() {
        return new InMemoryStateStore();
    }
}
