/* display_sdl -- the framebuffer in an SDL2 window (see display_host.h).
 * Everything SDL runs on clio's main thread: present() from the display
 * service task, poll_events() from its tick task. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <SDL.h>
#include "display_host.h"
#include "display/keyboard.h"

static struct {
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    int scale;
    uint32_t *argb;
    uint16_t w, h;
} sd;

static void present(void *ctx, const uint8_t *fb, uint16_t w, uint16_t h)
{
    (void)ctx;
    if (!sd.ren)
        return;
    if (!sd.tex || w != sd.w || h != sd.h) {
        if (sd.tex)
            SDL_DestroyTexture(sd.tex);
        free(sd.argb);
        sd.w = w;
        sd.h = h;
        sd.tex = SDL_CreateTexture(sd.ren, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, w, h);
        sd.argb = malloc((size_t)w * h * 4);
        SDL_SetWindowSize(sd.win, w * sd.scale, h * sd.scale);
        if (!sd.tex || !sd.argb)
            return;
    }
    for (size_t i = 0; i < (size_t)w * h; i++)
        sd.argb[i] = 0xff000000u | (uint32_t)fb[i] * 0x010101u;
    SDL_UpdateTexture(sd.tex, NULL, sd.argb, w * 4);
    SDL_RenderClear(sd.ren);
    SDL_RenderCopy(sd.ren, sd.tex, NULL, NULL);
    SDL_RenderPresent(sd.ren);
}

static void poll_events(void *ctx)
{
    (void)ctx;
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        uint8_t k = 0;
        if (ev.type == SDL_QUIT) {
            raise(SIGTERM);               /* clio's handler: stop the main loop */
        } else if (ev.type == SDL_TEXTINPUT) {
            const uint8_t *s = (const uint8_t *)ev.text.text;
            size_t n = 0;
            while (s[n] && s[n] < 0x80)
                n++;
            keyboard_publish(s, (uint32_t)n);
        } else if (ev.type == SDL_KEYDOWN) {
            SDL_Keycode sym = ev.key.keysym.sym;
            const char *seq = NULL;        /* keys as a VT100 terminal sends them */
            switch (sym) {
            case SDLK_RETURN: case SDLK_KP_ENTER: k = '\r'; break;
            case SDLK_BACKSPACE: k = 0x08; break;
            case SDLK_TAB: k = '\t'; break;
            case SDLK_ESCAPE: k = 0x1b; break;
            case SDLK_UP: seq = "\x1b[A"; break;
            case SDLK_DOWN: seq = "\x1b[B"; break;
            case SDLK_RIGHT: seq = "\x1b[C"; break;
            case SDLK_LEFT: seq = "\x1b[D"; break;
            case SDLK_HOME: seq = "\x1b[H"; break;
            case SDLK_END: seq = "\x1b[F"; break;
            case SDLK_DELETE: seq = "\x1b[3~"; break;
            default:                       /* Ctrl+letter: its control byte (^C 3) */
                if ((ev.key.keysym.mod & KMOD_CTRL) && sym >= SDLK_a && sym <= SDLK_z)
                    k = (uint8_t)(sym - SDLK_a + 1);
                break;
            }
            if (seq)
                keyboard_publish((const uint8_t *)seq, (uint32_t)strlen(seq));
            else if (k)
                keyboard_publish(&k, 1);
        } else if (ev.type == SDL_WINDOWEVENT && ev.window.event == SDL_WINDOWEVENT_EXPOSED &&
                   sd.tex) {
            SDL_RenderClear(sd.ren);
            SDL_RenderCopy(sd.ren, sd.tex, NULL, NULL);
            SDL_RenderPresent(sd.ren);
        }
    }
}

kerr_t display_sdl_open(int scale, display_backend_t *out)
{
    sd.scale = scale < 1 ? 1 : scale > 8 ? 8 : scale;
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "clio: SDL: %s\n", SDL_GetError());
        return KERR_INVAL;
    }
    sd.win = SDL_CreateWindow("clio", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                              DISPLAY_DEFAULT_W * sd.scale, DISPLAY_DEFAULT_H * sd.scale, 0);
    if (sd.win)
        sd.ren = SDL_CreateRenderer(sd.win, -1, 0);
    if (!sd.ren)
        sd.ren = sd.win ? SDL_CreateRenderer(sd.win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    if (!sd.ren) {
        fprintf(stderr, "clio: SDL window: %s\n", SDL_GetError());
        SDL_Quit();
        return KERR_INVAL;
    }
    SDL_StartTextInput();
    *out = (display_backend_t){ .present = present, .poll_events = poll_events,
                                .min_frame_ns = 1000000000u / 60, .poll_ns = 10000000u };
    return KERR_OK;
}

void display_sdl_close(void)
{
    if (sd.tex)
        SDL_DestroyTexture(sd.tex);
    if (sd.ren)
        SDL_DestroyRenderer(sd.ren);
    if (sd.win)
        SDL_DestroyWindow(sd.win);
    free(sd.argb);
    sd.tex = NULL;
    sd.ren = NULL;
    sd.win = NULL;
    SDL_Quit();
}
