// Sets VER_FLG_WEAK on one version requirement (e.g. GLIBCXX_3.4.32) in an ELF64 library's .gnu.version_r, so the
// dynamic loader accepts a libstdc++ that lacks that version instead of refusing to load the library.
// Usage: mark_version_weak LIBRARY VERSION   (exit 0: marked or already weak; 1: error; 2: VERSION not required)
#include <elf.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 3) { std::fprintf(stderr, "usage: %s LIBRARY VERSION\n", argv[0]); return 1; }
    std::ifstream in(argv[1], std::ios::binary);
    std::vector<char> image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail()) { std::fprintf(stderr, "%s: cannot read\n", argv[1]); return 1; }
    if (image.size() < sizeof(Elf64_Ehdr) || std::memcmp(image.data(), ELFMAG, SELFMAG) != 0
        || image[EI_CLASS] != ELFCLASS64) {
        std::fprintf(stderr, "%s: not an ELF64 file\n", argv[1]);
        return 1;
    }
    auto* base = image.data();
    auto* header = reinterpret_cast<Elf64_Ehdr*>(base);
    auto* sections = reinterpret_cast<Elf64_Shdr*>(base + header->e_shoff);
    for (int i = 0; i < header->e_shnum; ++i) {
        if (sections[i].sh_type != SHT_GNU_verneed) continue;
        const char* strings = base + sections[sections[i].sh_link].sh_offset;
        auto* need = reinterpret_cast<Elf64_Verneed*>(base + sections[i].sh_offset);
        for (;;) {
            auto* aux = reinterpret_cast<Elf64_Vernaux*>(reinterpret_cast<char*>(need) + need->vn_aux);
            for (int a = 0; a < need->vn_cnt; ++a) {
                if (std::strcmp(strings + aux->vna_name, argv[2]) == 0) {
                    if (aux->vna_flags & VER_FLG_WEAK) return 0;
                    aux->vna_flags |= VER_FLG_WEAK;
                    std::ofstream out(argv[1], std::ios::binary | std::ios::in | std::ios::out);
                    out.seekp(reinterpret_cast<char*>(&aux->vna_flags) - base);
                    out.write(reinterpret_cast<char*>(&aux->vna_flags), sizeof aux->vna_flags);
                    if (!out) { std::fprintf(stderr, "%s: cannot write\n", argv[1]); return 1; }
                    return 0;
                }
                aux = reinterpret_cast<Elf64_Vernaux*>(reinterpret_cast<char*>(aux) + aux->vna_next);
            }
            if (need->vn_next == 0) break;
            need = reinterpret_cast<Elf64_Verneed*>(reinterpret_cast<char*>(need) + need->vn_next);
        }
    }
    std::fprintf(stderr, "%s: no requirement of version %s\n", argv[1], argv[2]);
    return 2;
}
