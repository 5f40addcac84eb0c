// A C++ program for language detection tests (links libstdc++): prints {"pid": N}, waits.
#include <iostream>
#include <unistd.h>

int main() {
    std::cout << "{\"pid\": " << getpid() << "}" << std::endl;
    sleep(3600);
    return 0;
}
