import type { Scene, Shape } from './synthetic-scene';

/** The shape's outline in a unit box centred on 0 (radius 1), as SVG path data or a primitive. */
function shapeMarkup(shape: Shape): string {
  const poly = (points: [number, number][]) =>
    `<polygon points="${points.map(([x, y]) => `${x.toFixed(3)},${y.toFixed(3)}`).join(' ')}"/>`;
  const regular = (n: number, r = 1, phase = -Math.PI / 2) =>
    Array.from(
      { length: n },
      (_, i) => [r * Math.cos(phase + (2 * Math.PI * i) / n), r * Math.sin(phase + (2 * Math.PI * i) / n)] as [number, number],
    );
  switch (shape) {
    case 'circle':
      return '<circle r="1"/>';
    case 'square':
      return '<rect x="-0.75" y="-0.75" width="1.5" height="1.5"/>';
    case 'triangle':
      return poly(regular(3));
    case 'star':
      return poly(regular(10).map(([x, y], i) => (i % 2 ? [x * 0.45, y * 0.45] : [x, y])));
    case 'ring':
      return '<path fill-rule="evenodd" d="M-1,0a1,1 0 1,0 2,0a1,1 0 1,0 -2,0zM-0.55,0a0.55,0.55 0 1,0 1.1,0a0.55,0.55 0 1,0 -1.1,0z"/>';
    case 'cross':
      return poly([
        [-0.3, -1],
        [0.3, -1],
        [0.3, -0.3],
        [1, -0.3],
        [1, 0.3],
        [0.3, 0.3],
        [0.3, 1],
        [-0.3, 1],
        [-0.3, 0.3],
        [-1, 0.3],
        [-1, -0.3],
        [-0.3, -0.3],
      ]);
    case 'hexagon':
      return poly(regular(6, 1, 0));
    case 'heart':
      return '<path d="M0,0.95C-0.3,0.7 -1,0.25 -1,-0.3C-1,-0.75 -0.6,-0.95 -0.3,-0.95C-0.1,-0.95 0,-0.8 0,-0.65C0,-0.8 0.1,-0.95 0.3,-0.95C0.6,-0.95 1,-0.75 1,-0.3C1,0.25 0.3,0.7 0,0.95z"/>';
    case 'crescent':
      return '<path fill-rule="evenodd" d="M0.2,-0.98A1,1 0 1,0 0.2,0.98A0.8,0.8 0 1,1 0.2,-0.98z"/>';
    case 'arrow':
      return poly([
        [-1, -0.25],
        [0.2, -0.25],
        [0.2, -0.7],
        [1, 0],
        [0.2, 0.7],
        [0.2, 0.25],
        [-1, 0.25],
      ]);
  }
}

const hsl = (h: number, s: number, l: number) => `hsl(${h.toFixed(1)},${(s * 100).toFixed(0)}%,${(l * 100).toFixed(1)}%)`;

/** An SVG document drawing the scene: gradient background with film grain, then the rotated object. */
export function sceneSvg(scene: Scene, seed: number): string {
  const { width, height, background: bg } = scene;
  const r = scene.objectPx / 2;
  const fill = scene.striped ? 'url(#stripes)' : hsl(scene.objectHue, 0.7, scene.objectLightness);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs>
<linearGradient id="bg" gradientTransform="rotate(${bg.angleDeg.toFixed(1)} 0.5 0.5)">
<stop offset="0" stop-color="${hsl(bg.hue, 0.45, bg.lightness)}"/><stop offset="1" stop-color="${hsl(bg.hue2, 0.45, bg.lightness)}"/>
</linearGradient>
<filter id="grain" x="0" y="0" width="100%" height="100%"><feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="1" seed="${seed % 10000}"/><feColorMatrix type="saturate" values="0"/></filter>
<pattern id="stripes" width="0.35" height="0.35" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="0.35" height="0.35" fill="${hsl(scene.objectHue, 0.7, scene.objectLightness)}"/><rect width="0.15" height="0.35" fill="${hsl(scene.objectHue, 0.7, Math.min(0.95, scene.objectLightness + 0.25))}"/>
</pattern>
</defs>
<rect width="${width}" height="${height}" fill="url(#bg)"/>
<rect width="${width}" height="${height}" filter="url(#grain)" opacity="${bg.grain.toFixed(3)}"/>
<g transform="translate(${scene.cx.toFixed(2)} ${scene.cy.toFixed(2)}) rotate(${scene.rotationDeg.toFixed(1)}) scale(${r.toFixed(3)})" fill="${fill}">${shapeMarkup(scene.shape)}</g>
</svg>`;
}
